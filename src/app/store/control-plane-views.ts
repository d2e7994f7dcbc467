// The inspector's views of what a highly available control plane and a cloud
// add (inspector-views.ts dispatches here): leader election as client-go runs
// it for kube-scheduler, kube-controller-manager and cloud-controller-manager
// (staging/src/k8s.io/client-go/tools/leaderelection/leaderelection.go,
// resourcelock/leaselock.go: the Lease's holderIdentity, acquireTime,
// renewTime, leaseTransitions; the --leader-elect-* flags), an apiserver
// replica's place behind the load balancer, the load balancer itself
// (kubeadm's haproxy, src/sim/apiserver/load-balancer.ts) and
// cloud-controller-manager with the cloud's instances and load balancers
// (k8s.io/cloud-provider). Pure functions of the cluster at one instant.
import { CLOUD_CONTROLLER_MANAGER } from '../../sim/cloud/cloud-controller-manager';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { HEALTH_CHECK, LB_NAME } from '../../sim/apiserver/load-balancer';
import { DEFAULT_LEADER_ELECTION, JITTER_FACTOR } from '../../sim/client/leader-election';
import { DEFAULT_CCM_OPTIONS } from '../../sim/cloud/cloud-controller';
import { HEALTH_CHECK_INTERVAL_MS, HEALTHY_THRESHOLD, KUBE_PROXY_HEALTHZ_PORT, UNHEALTHY_THRESHOLD } from '../../sim/cloud/load-balancers';
import type { Cluster } from '../../sim/cluster';
import { formatDuration } from '../../sim/kernel/duration';
import { virtualMs } from '../../sim/kernel/time';
import { formatInstant } from '../format-clock';
import type { Selection } from './cluster-store';
import type { ComponentInspection, Fact, FactList, Setting } from './inspector-views';

/** The load balancer in front of the apiservers, by its name in the trace ("apiserver-lb"). */
export const LOAD_BALANCER_COMPONENT = LB_NAME;

const d = formatDuration;
const component = (name: string): Selection => ({ type: 'component', name });

/** A leader-elected process as the inspector compares it with the Lease. */
export interface ElectedProcess {
  name: string;
  host: string;
  /** "<host>_<uuid>": a new one every time the process starts. */
  identity: string;
  running: boolean;
  leading: boolean;
}

/** How a leader-elected process reads: leading, waiting as a standby, or not running. */
export function electedState(p: Pick<ElectedProcess, 'running' | 'leading'>): 'leader' | 'standby' | 'stopped' {
  return !p.running ? 'stopped' : p.leading ? 'leader' : 'standby';
}

/** The Lease's spec as leaselock.go reads it (absent fields as zero values); null when there is no such Lease yet. */
export interface LeaseRecordView {
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** Virtual ms; undefined when the field is absent. */
  acquireTime?: number;
  renewTime?: number;
  leaseTransitions: number;
}

export function leaseRecord(cluster: Cluster, name: string, namespace = 'kube-system'): LeaseRecordView | null {
  const lease = cluster.etcd.store.get(`/registry/leases/${namespace}/${name}`)?.value as Lease | undefined;
  if (!lease) return null;
  const s = lease.spec ?? {};
  const t = (ts: string | undefined) => (ts ? virtualMs(ts) : undefined);
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    ...(s.acquireTime ? { acquireTime: t(s.acquireTime) } : {}),
    ...(s.renewTime ? { renewTime: t(s.renewTime) } : {}),
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}

/**
 * Which process a holderIdentity names: the one running under it now, else
 * (a process restarted since, or whose machine lost power) the one on that
 * host, marked as an earlier run of it.
 */
export function holderProcess(holder: string, processes: readonly ElectedProcess[]): { process: ElectedProcess; current: boolean } | undefined {
  if (!holder) return undefined;
  const now = processes.find((p) => p.identity === holder);
  if (now) return { process: now, current: true };
  const host = holder.slice(0, holder.lastIndexOf('_'));
  const same = processes.find((p) => p.host === host);
  return same ? { process: same, current: false } : undefined;
}

/** The Lease's facts from one candidate's side: who holds it, since when, when it was last renewed, how often it changed hands. */
export function leaderElectionFacts(cluster: Cluster, lease: string, self: ElectedProcess, processes: readonly ElectedProcess[]): Fact[] {
  const state = electedState(self);
  const facts: Fact[] = [
    {
      label: 'Leader election',
      value:
        state === 'leader'
          ? 'leader: holds the Lease and does the work'
          : state === 'standby'
            ? 'standby: runs, reads the Lease every retry period, does no work'
            : 'stopped: not a candidate',
      tone: state === 'stopped' ? 'bad' : undefined,
    },
  ];
  const rec = leaseRecord(cluster, lease);
  facts.push({ label: 'Lease', value: `kube-system/${lease}`, select: { type: 'object', key: `Lease/kube-system/${lease}` } });
  if (!rec) {
    facts.push({ label: 'Holder', value: '<no Lease yet>', tone: 'warn' });
    return facts;
  }
  const held = holderProcess(rec.holderIdentity, processes);
  if (!rec.holderIdentity) facts.push({ label: 'Holder', value: '<none>: released; the next candidate to try takes it', tone: 'warn' });
  else {
    const who = held ? `${held.process.name}${held.current ? '' : ', an earlier run of it'}` : 'unknown process';
    // A holder that no longer runs keeps the Lease until the candidates have seen it unchanged for leaseDuration.
    const gone = !held || !held.current || !held.process.running;
    facts.push({
      label: 'Holder',
      value: `${rec.holderIdentity} (${who}${gone ? ', not running: the Lease is left to expire' : ''})`,
      tone: gone ? 'bad' : held?.process.name === self.name ? 'ok' : undefined,
      ...(held ? { select: component(held.process.name) } : {}),
    });
  }
  if (rec.acquireTime !== undefined) facts.push({ label: 'Acquired', value: formatInstant(rec.acquireTime) });
  if (rec.renewTime !== undefined) {
    const ago = cluster.now - rec.renewTime;
    const stale = rec.holderIdentity !== '' && ago >= rec.leaseDurationSeconds * 1000;
    facts.push({ label: 'Renewed', value: `${formatInstant(rec.renewTime)} (${d(Math.max(0, ago))} ago)`, tone: stale ? 'warn' : undefined });
  }
  facts.push({ label: 'Transitions', value: `${rec.leaseTransitions} (leaseTransitions: how often it changed hands)` });
  facts.push({ label: 'Lease duration', value: `${rec.leaseDurationSeconds}s` });
  if (self.identity) facts.push({ label: 'Identity', value: self.identity });
  return facts;
}

/** The other candidates for the same Lease, for the inspector's list. */
export function candidatesList(processes: readonly ElectedProcess[]): FactList {
  return {
    title: 'Candidates',
    empty: '',
    items: processes.map((p) => {
      const state = electedState(p);
      return { label: p.name, detail: `${state} · on ${p.host}`, tone: state === 'stopped' ? ('bad' as const) : ('ok' as const), select: component(p.name) };
    }),
  };
}

/** client-go's leader-election flags with their defaults (every component here runs with them). */
export function leaderElectionSettings(lease: string): Setting[] {
  const { leaseDuration, renewDeadline, retryPeriod } = DEFAULT_LEADER_ELECTION;
  return [
    { name: '--leader-elect', value: 'true', note: 'run only while holding the Lease; standbys wait' },
    { name: '--leader-elect-lease-duration', value: d(leaseDuration), note: 'a standby takes over once it has seen the record unchanged this long (by its own clock, not renewTime)' },
    { name: '--leader-elect-renew-deadline', value: d(renewDeadline), note: 'a leader that cannot renew within it stops leading, exits and starts again as a candidate' },
    {
      name: '--leader-elect-retry-period',
      value: d(retryPeriod),
      note: `the leader renews this often; standbys retry every ${d(retryPeriod)} to ${d(retryPeriod * (1 + JITTER_FACTOR))} (jitter ${JITTER_FACTOR})`,
    },
    { name: '--leader-elect-resource-lock', value: 'leases' },
    { name: '--leader-elect-resource-name', value: lease },
    { name: '--leader-elect-resource-namespace', value: 'kube-system' },
  ];
}

/** A control-plane machine as a fact: its name and power (the machines' views say). */
export function machineFact(cluster: Cluster, host: string): Fact {
  const m = cluster.controlPlaneNodes().find((x) => x.name === host);
  if (!m) return { label: 'Machine', value: host };
  return { label: 'Machine', value: `${host} · ${m.powered ? 'powered on' : 'powered off'}`, tone: m.powered ? undefined : 'bad' };
}

// ------------------------------------------------------------------ apiserver

/** A replica's place behind the load balancer: its address, what the balancer's health check believes of it, its clients and watches. */
export function apiserverReplicaFacts(cluster: Cluster, name: string): Fact[] {
  const replica = cluster.apiserver.replicas.find((r) => r.name === name);
  if (!replica) return [];
  const facts: Fact[] = [machineFact(cluster, replica.host), { label: 'Address', value: replica.address }];
  const backend = cluster.apiserver.loadBalancerView()?.backends.find((b) => b.name === name);
  if (backend) {
    facts.push({
      label: 'Load balancer',
      value: `${backend.check} to its health check · ${backend.connections} client${backend.connections === 1 ? '' : 's'} connected`,
      tone: !backend.up ? 'bad' : backend.check === 'UP' ? 'ok' : 'warn',
      select: component(LOAD_BALANCER_COMPONENT),
    });
  }
  facts.push({ label: 'Watches served', value: String(replica.running ? replica.hub.size : 0) });
  return facts;
}

// --------------------------------------------------------------- load balancer

function backendTone(b: { up: boolean; check: string }): 'ok' | 'warn' | 'bad' {
  return !b.up ? 'bad' : b.check === 'UP' ? 'ok' : 'warn';
}

/** The load balancer in front of the apiservers; null with a single apiserver (clients reach it directly). */
export function loadBalancerInspection(cluster: Cluster): ComponentInspection | null {
  const view = cluster.apiserver.loadBalancerView();
  if (!view) return null;
  const up = view.backends.filter((b) => b.up).length;
  const total = view.backends.length;
  const connections = view.backends.reduce((n, b) => n + b.connections, 0);
  const { interval, fall, rise } = HEALTH_CHECK;
  return {
    name: view.name,
    kind: 'load-balancer',
    about: `The control-plane endpoint ${view.address}: an haproxy in TCP mode in front of the kube-apiservers, as kubeadm's high-availability guide sets it up. Not a Kubernetes component: every client's connection goes through it to one apiserver and stays there until that one goes away.`,
    state: `${up}/${total} UP`,
    tone: up === total ? 'ok' : up === 0 ? 'bad' : 'warn',
    facts: [
      { label: 'Address', value: `${view.address} (--control-plane-endpoint)` },
      { label: 'Backends', value: `${up} of ${total} believed up`, tone: up === total ? 'ok' : up === 0 ? 'bad' : 'warn' },
      { label: 'Connections', value: `${connections} client${connections === 1 ? '' : 's'}` },
    ],
    lists: [
      {
        title: 'Backends',
        empty: 'No backend.',
        items: view.backends.map((b) => ({
          label: b.name,
          // Short: the list gives the detail what the name leaves (its address and machine are in the replica's own view).
          detail: `${b.check} · ${b.connections} client${b.connections === 1 ? '' : 's'}`,
          tone: backendTone(b),
          select: component(b.name),
        })),
      },
    ],
    settings: [
      { name: 'mode', value: 'tcp', note: "a client's connection (all its requests and watches) stays with one backend" },
      { name: 'balance', value: 'roundrobin', note: 'a new connection goes to the next backend believed up' },
      { name: 'option httpchk', value: 'GET /healthz', note: "every backend's health check" },
      { name: 'inter', value: d(interval), note: 'between two checks of a backend' },
      { name: 'fall', value: String(fall), note: `failed checks in a row before a backend is DOWN (${d(fall * interval)} to ${d((fall + 1) * interval)} after it stops)` },
      { name: 'rise', value: String(rise), note: 'good checks in a row before it is UP again' },
      { name: 'retries', value: '1', note: 'with option redispatch: a refused dial is tried once more, on another backend' },
    ],
  };
}

// ----------------------------------------------------- cloud-controller-manager

/** Its Lease, named for the process, as upstream names it. */
export const CCM_LEASE = CLOUD_CONTROLLER_MANAGER;

/** cloud-controller-manager and the cloud it talks to; null without spec.cloud. */
export function cloudControllerManagerInspection(cluster: Cluster): ComponentInspection | null {
  const ccm = cluster.cloudControllerManager;
  const cloud = cluster.cloud;
  if (!ccm || !cloud) return null;
  const self: ElectedProcess = { name: ccm.name, host: ccm.host, identity: ccm.identity, running: ccm.running, leading: ccm.leading };
  const state = electedState(self);
  const view = cloud.view();
  const controllers = ccm.controllers();
  const counts = { running: 0, stopped: 0, terminated: 0 };
  for (const i of view.instances) counts[i.state]++;
  const o = DEFAULT_CCM_OPTIONS;
  return {
    name: ccm.name,
    kind: 'cloud-controller-manager',
    about: 'cloud-controller-manager: the controllers that talk to the cloud provider. It initializes Nodes (providerID, zone and instance-type labels), deletes those whose instance is gone, and gives Services of type LoadBalancer a cloud load balancer.',
    state: state === 'leader' ? 'running' : state,
    tone: state === 'stopped' ? 'bad' : state === 'standby' ? 'standby' : 'ok',
    facts: [
      machineFact(cluster, ccm.host),
      ...leaderElectionFacts(cluster, CCM_LEASE, self, [self]),
      { label: 'Controllers', value: state === 'leader' ? `${controllers.length} running` : state === 'standby' ? 'none until it holds the Lease' : 'none (process stopped)', tone: state === 'stopped' ? 'bad' : undefined },
      {
        label: 'Cloud instances',
        value: `${counts.running} running${counts.stopped ? ` · ${counts.stopped} stopped` : ''}${counts.terminated ? ` · ${counts.terminated} terminated` : ''}`,
        tone: counts.stopped || counts.terminated ? 'warn' : undefined,
      },
      { label: 'Load balancer range', value: view.loadBalancerRange },
    ],
    lists: [
      { title: 'Controllers', empty: state === 'standby' ? 'None: a standby runs no controllers.' : 'None: the process is stopped.', items: controllers.map((c) => ({ label: c.name, tone: 'ok' as const })) },
      {
        title: 'Cloud load balancers',
        empty: 'None: no Service of type LoadBalancer.',
        items: view.loadBalancers.map((lb) => {
          const healthy = lb.backends.filter((b) => b.health === 'Healthy').length;
          const [ns, name] = lb.service.split('/');
          return {
            label: `${lb.service} → ${lb.externalIP}:${lb.listeners.map((l) => l.port).join(',')}`,
            detail: `${healthy}/${lb.backends.length} healthy`,
            tone: healthy === lb.backends.length ? ('ok' as const) : healthy === 0 ? ('bad' as const) : ('warn' as const),
            select: { type: 'object', key: `Service/${ns}/${name}` } as Selection,
          };
        }),
      },
      {
        title: 'Cloud instances',
        empty: 'None.',
        items: view.instances.map((i) => ({
          label: i.name,
          detail: `${i.state} · ${i.zone} · ${i.instanceType}`,
          tone: i.state === 'running' ? ('ok' as const) : i.state === 'stopped' ? ('warn' as const) : ('bad' as const),
          ...(i.state !== 'terminated' ? { select: { type: 'object', key: `Node//${i.name}` } as Selection } : {}),
        })),
      },
    ],
    settings: [
      { name: '--node-monitor-period', value: d(o.nodeMonitorPeriod), note: 'how often the cloud node lifecycle controller asks the cloud about not-Ready Nodes' },
      { name: '--node-status-update-frequency', value: d(o.nodeStatusUpdateFrequency), note: "how often the cloud node controller refreshes the Nodes' addresses" },
      { name: '--cluster-name', value: o.clusterName, note: 'passed to the cloud with every load balancer call (providers tag what they make with it)' },
      {
        name: 'cloud load balancer health check',
        value: `every ${d(HEALTH_CHECK_INTERVAL_MS)} on :${KUBE_PROXY_HEALTHZ_PORT}/healthz`,
        note: `kube-proxy's healthz on each node; healthy after ${HEALTHY_THRESHOLD} success, unhealthy after ${UNHEALTHY_THRESHOLD} failures (the cloud's, not a Kubernetes setting)`,
      },
      ...leaderElectionSettings(CCM_LEASE),
    ],
  };
}
