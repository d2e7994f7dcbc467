// What the cloud box shows (spec.cloud): the cloud's instances by state,
// and every Service of type LoadBalancer with the address the service
// controller of cloud-controller-manager wrote into its
// status.loadBalancer.ingress (none yet: "<pending>", as kubectl prints it)
// and the backends of the cloud load balancer made for it: the nodes it
// forwards to, and how many of them its own health check finds healthy.
// The load balancer is a cloud resource, so it is listed in the cloud box,
// where cloud-controller-manager's calls to the cloud API land; a user sees
// the address and the backends without opening anything. Pure.
import type { Service } from 'kubernetes-types/core/v1';

/** The parts of the simulated cloud's view (src/sim/cloud/cloud.ts CloudView) that are shown. */
export interface CloudViewInput {
  instances: readonly { name: string; state: string }[];
  loadBalancers: readonly { service: string; externalIP: string; backends: readonly { node: string; health: string }[] }[];
}

export interface LoadBalancerRow {
  /** namespace/name of the Service. */
  service: string;
  /** status.loadBalancer.ingress[0]: its ip (or hostname); null while pending. */
  address: string | null;
  /** The cloud load balancer's backend nodes (0 when the cloud has none for the Service yet). */
  backends: number;
  /** Of those, the ones its health check finds healthy. */
  healthy: number;
}

export interface CloudSummary {
  instances: { running: number; stopped: number; terminated: number };
  services: LoadBalancerRow[];
}

export function cloudSummary(services: readonly Service[], cloud: CloudViewInput | undefined): CloudSummary {
  const instances = { running: 0, stopped: 0, terminated: 0 };
  for (const i of cloud?.instances ?? []) if (i.state === 'running' || i.state === 'stopped' || i.state === 'terminated') instances[i.state]++;
  const byService = new Map((cloud?.loadBalancers ?? []).map((lb) => [lb.service, lb]));
  const rows: LoadBalancerRow[] = [];
  for (const s of services) {
    if (s.spec?.type !== 'LoadBalancer') continue;
    const key = `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`;
    const ingress = s.status?.loadBalancer?.ingress?.[0];
    const lb = byService.get(key);
    rows.push({
      service: key,
      address: ingress?.ip ?? ingress?.hostname ?? null,
      backends: lb?.backends.length ?? 0,
      healthy: lb?.backends.filter((b) => b.health === 'Healthy').length ?? 0,
    });
  }
  rows.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  return { instances, services: rows };
}

export function sameSummary(a: CloudSummary, b: CloudSummary): boolean {
  const i = a.instances;
  const j = b.instances;
  if (i.running !== j.running || i.stopped !== j.stopped || i.terminated !== j.terminated || a.services.length !== b.services.length) return false;
  return a.services.every((r, k) => {
    const s = b.services[k];
    return r.service === s.service && r.address === s.address && r.backends === s.backends && r.healthy === s.healthy;
  });
}
