// A cluster on the simulated cloud, through the CLI: the gallery's
// loadbalancer-node-loss scenario (four workers, a Deployment of eight behind
// the LoadBalancer Service web, node-2's machine deleted at 30 s), and the
// same file with node-2 powered off instead. Instants are upstream's
// defaults: the kubelet renews its Lease every 10 s (with jitter),
// kube-controller-manager's node lifecycle controller passes every 5 s from
// 0.1 s with node-monitor-grace-period 40 s, cloud-controller-manager's
// cloud node lifecycle controller passes every 5 s from 0 s, the pod
// garbage collector every 20 s from 0.1 s with a 40 s quarantine;
// kube-controller-manager's node IPAM gives the Nodes their /24s at 0.1 s and
// cloud-controller-manager's route controller passes every 10 s from 0.1 s.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load';
import { NODE_IPAM_CONTROLLER, type NodeIpamController } from '../sim/controllers/node-ipam';
import { main } from './main';

type Obj = {
  kind: string;
  metadata: { name: string; finalizers?: string[]; deletionTimestamp?: string };
  spec: { nodeName?: string; providerID?: string; podCIDR?: string; taints?: Array<{ key: string; effect: string }> };
  status: { loadBalancer?: { ingress?: Array<{ ip?: string }> }; conditions?: Array<{ type: string; status: string; reason?: string }>; podIP?: string };
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  involvedObject?: { kind: string; name: string };
};
type Message = { t: number; from: string; to: string; verb: string; resource: string; key: string };

const FILE = fileURLToPath(new URL('../scenario/examples/loadbalancer-node-loss.yaml', import.meta.url));

function run(file: string, until: string, trace = false): { items: Obj[]; trace: Message[]; text: string } {
  const out: string[] = [];
  const code = main(['run', file, '--until', until, ...(trace ? ['--trace'] : [])], (s) => out.push(s), () => {});
  expect(code).toBe(0);
  const list = JSON.parse(out.join('\n')) as { items: Obj[]; trace?: Message[] };
  return { items: list.items, trace: list.trace ?? [], text: out.join('\n') };
}

/** The same scenario with node-2 powered off (its instance stopped) instead of deleted. */
function poweredOffFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeviz-cloud-'));
  const file = join(dir, 'poweroff.yaml');
  writeFileSync(file, readFileSync(FILE, 'utf8').replace('action: deleteMachine, node: node-2', 'action: powerOff, node: node-2'));
  return file;
}

const nodeNamed = (items: Obj[], name: string) => items.find((o) => o.kind === 'Node' && o.metadata.name === name);
const web = (items: Obj[]) => items.find((o) => o.kind === 'Service' && o.metadata.name === 'web')!;
const ready = (o: Obj | undefined) => o?.status.conditions?.find((c) => c.type === 'Ready')?.status;
const event = (items: Obj[], kind: string, name: string, reason: string) => items.find((o) => o.kind === 'Event' && o.involvedObject?.kind === kind && o.involvedObject.name === name && o.reason === reason);

describe('loadbalancer-node-loss: a LoadBalancer Service following a node loss', () => {
  it('gives Service web an address from 203.0.113.0/24 and the cleanup finalizer at the start', () => {
    const { items } = run(FILE, '1s');
    expect(web(items).status.loadBalancer?.ingress?.[0]?.ip).toBe('203.0.113.1');
    expect(web(items).metadata.finalizers).toEqual(['service.kubernetes.io/load-balancer-cleanup']);
    expect(nodeNamed(items, 'node-2')?.spec.providerID).toBe('kubeviz://us-east-1b/node-2');
  });

  it("deletes node-2 when its cloud machine is gone, at the cloud node lifecycle controller's first pass after Ready=Unknown", () => {
    // node-2's kubelet last renewed its Lease at 20.379 s (every 10 s, jittered); its machine goes at 30 s.
    // kube-controller-manager saw that renewal at its 25.1 s pass and, more than 40 s later, at the 70.1 s
    // pass, sets Ready=Unknown. cloud-controller-manager learns it 1 ms later; its next pass (every 5 s
    // from 0) is at 75 s: InstanceExists says no, DeletingNode, and the Node is deleted.
    const { trace } = run(FILE, '76s', true);
    const renewals = trace.filter((m) => m.from === 'kubelet/node-2' && m.resource === 'leases' && m.verb === 'update').map((m) => m.t);
    expect(renewals.at(-1)).toBe(20_379);
    expect(ready(nodeNamed(run(FILE, '70s').items, 'node-2'))).toBe('True');
    expect(ready(nodeNamed(run(FILE, '70100ms').items, 'node-2'))).toBe('Unknown');
    expect(nodeNamed(run(FILE, '74999ms').items, 'node-2')).toBeDefined();
    const gone = run(FILE, '75s').items;
    expect(nodeNamed(gone, 'node-2')).toBeUndefined();
    expect(event(gone, 'Node', 'node-2', 'DeletingNode')?.message).toBe('Deleting node node-2 because it does not exist in the cloud provider');
    const cloud = trace.filter((m) => m.to === 'cloud' && m.resource === 'instances' && m.t >= 30_000).map((m) => `${m.t} ${m.verb} ${m.key}`);
    expect(cloud[0]).toBe('75000 InstanceExists node-2');
  });

  it("drops node-2 from the load balancer's backends when its Node goes (not while it is only NotReady), and replaces its pods", () => {
    const { cluster } = loadScenario(readFileSync(FILE, 'utf8'));
    const backends = () => cluster.cloud!.view().loadBalancers[0].backends.map((b) => `${b.node}:${b.health}`);
    cluster.runUntil(29_000);
    expect(backends()).toEqual(['node-1:Healthy', 'node-2:Healthy', 'node-3:Healthy', 'node-4:Healthy']);
    // The health checks at 32.1 s, 40.1 s and 48.1 s fail: Unhealthy from the third; still a backend at 74.9 s.
    cluster.runUntil(74_999);
    expect(backends()).toEqual(['node-1:Healthy', 'node-2:Unhealthy', 'node-3:Healthy', 'node-4:Healthy']);
    cluster.runUntil(75_001);
    expect(backends()).toEqual(['node-1:Healthy', 'node-3:Healthy', 'node-4:Healthy']);
    const { items } = run(FILE, '121s');
    expect(event(items, 'Service', 'web', 'UpdatedLoadBalancer')).toMatchObject({ message: 'Updated load balancer with new hosts', lastTimestamp: '2026-01-01T00:01:15Z' });
    // The pod garbage collector finds node-2 missing at 80.1 s and deletes its pods 40 s later, at 120.1 s.
    const pods = items.filter((o) => o.kind === 'Pod' && !o.metadata.deletionTimestamp);
    expect(pods).toHaveLength(8);
    expect(pods.some((p) => p.spec.nodeName === 'node-2')).toBe(false);
  });

  it('keeps a powered-off node: its stopped instance still exists, so it only gets the shutdown taint', () => {
    const file = poweredOffFile();
    // Same instants: Ready=Unknown at 70.1 s, the cloud pass at 75 s finds the instance stopped.
    const before = nodeNamed(run(file, '74999ms').items, 'node-2')!;
    expect(before.spec.taints?.map((t) => t.key)).not.toContain('node.cloudprovider.kubernetes.io/shutdown');
    const { items } = run(file, '200s');
    const n = nodeNamed(items, 'node-2')!;
    expect(ready(n)).toBe('Unknown');
    expect(n.spec.taints).toContainEqual({ key: 'node.cloudprovider.kubernetes.io/shutdown', effect: 'NoSchedule' });
    expect(event(items, 'Node', 'node-2', 'DeletingNode')).toBeUndefined();
  });

  it("routes each Node's /24 to its instance at the 10.1 s pass; node-2's route is a blackhole once its machine is deleted and goes at 30.1 s", () => {
    const { items, trace } = run(FILE, '11s', true);
    const cidrs = ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => nodeNamed(items, n)?.spec.podCIDR);
    expect(cidrs).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24']);
    // Every pod's address is from its Node's /24.
    const pods = items.filter((o) => o.kind === 'Pod');
    expect(pods.every((p) => p.status.podIP?.startsWith(nodeNamed(items, p.spec.nodeName!)!.spec.podCIDR!.replace('0/24', '')))).toBe(true);
    const networkUnavailable = (n: Obj | undefined) => n?.status.conditions?.find((c) => c.type === 'NetworkUnavailable');
    expect(networkUnavailable(nodeNamed(items, 'node-3'))).toMatchObject({ status: 'False', reason: 'RouteCreated' });
    expect(trace.filter((m) => m.verb === 'CreateRoute').map((m) => m.t)).toEqual([10_100, 10_100, 10_100, 10_100]);
    const { cluster } = loadScenario(readFileSync(FILE, 'utf8'));
    const routes = () => cluster.cloud!.view().routes.map((r) => `${r.destinationCIDR} ${r.targetInstance}`);
    cluster.runUntil(30_099);
    expect(routes()).toEqual(['10.244.0.0/24 node-1', '10.244.1.0/24 node-2', '10.244.2.0/24 node-3', '10.244.3.0/24 node-4']);
    cluster.runUntil(30_100);
    expect(routes()).toEqual(['10.244.0.0/24 node-1', '10.244.2.0/24 node-3', '10.244.3.0/24 node-4']);
    // The Node lives until 75 s: the route controller tries to route it again and cannot.
    const at31 = run(FILE, '31s').items;
    expect(networkUnavailable(nodeNamed(at31, 'node-2'))).toMatchObject({ status: 'True', reason: 'NoRouteCreated' });
    expect(event(at31, 'Node', 'node-2', 'FailedToCreateRoute')?.message).toMatch(/^Could not create route [0-9a-f-]{36} 10\.244\.1\.0\/24 for node node-2 after 0s: instance not found$/);
    // Once the Node is deleted its /24 is free and nothing asks for a route to it.
    const ipam = () => cluster.controllerManager.controller<NodeIpamController>(NODE_IPAM_CONTROLLER)!.rangeAllocator!.cidrs;
    expect(ipam().has('10.244.1.0/24')).toBe(true);
    cluster.runUntil(121_000);
    expect(ipam().has('10.244.1.0/24')).toBe(false);
    expect(routes()).toEqual(['10.244.0.0/24 node-1', '10.244.2.0/24 node-3', '10.244.3.0/24 node-4']);
    expect(cluster.trace().filter((m) => m.verb === 'CreateRoute' && m.t > 75_000)).toEqual([]);
  });

  it('runs the same twice: identical output and state hash', () => {
    expect(run(FILE, '90s', true).text).toBe(run(FILE, '90s', true).text);
    const hash = () => {
      const { cluster } = loadScenario(readFileSync(FILE, 'utf8'));
      cluster.runUntil(130_000);
      return cluster.stateHash();
    };
    expect(hash()).toBe(hash());
  });
});
