// What a killed node means, through the CLI: the cluster notices only
// through missed heartbeats, waits the real grace periods, evicts, replaces
// and reschedules, all through its ordinary logic. Instants are upstream's
// defaults: node-monitor-grace-period 40 s, a 5 s monitor period, taint
// eviction after the default 300 s toleration, 30 s termination grace.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

type Condition = { type: string; status: string; reason?: string; message?: string };
type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; ownerReferences?: Array<{ kind: string }> };
  spec: { nodeName?: string; replicas?: number; taints?: Array<{ key: string; effect: string }> };
  status: { phase?: string; conditions?: Condition[]; availableReplicas?: number; replicas?: number };
};

const example = (name: string) => fileURLToPath(new URL(`../scenario/examples/${name}`, import.meta.url));

function at(file: string, until: string): { items: Obj[]; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(['run', example(file), '--until', until], (s) => out.push(s), (s) => err.push(s));
  expect(code).toBe(0);
  return { items: JSON.parse(out.join('\n')).items as Obj[], err: err.join('\n') };
}

const nodeOf = (items: Obj[], name: string) => items.find((o) => o.kind === 'Node' && o.metadata.name === name)!;
const ready = (o: Obj) => o.status.conditions?.find((c) => c.type === 'Ready');
const taints = (o: Obj) => (o.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const webPods = (items: Obj[]) => items.filter((o) => o.kind === 'Pod' && o.metadata.name.startsWith('web-'));
const live = (items: Obj[]) => webPods(items).filter((p) => !p.metadata.deletionTimestamp);
const deployment = (items: Obj[]) => items.find((o) => o.kind === 'Deployment')!;

describe('a powered-off node', () => {
  // Power goes at 10 s, just before node-1's kubelet would renew its Lease, so its last heartbeat is the
  // one of 0 s, which the node lifecycle controller (passes at 0.1 s + 5 s n) saw at 0.1 s. More than
  // 40 s have passed at the 45.1 s pass.
  it('stays Ready until the grace period is over, then goes Unknown', () => {
    expect(ready(nodeOf(at('node-failure.yaml', '45s').items, 'node-1'))?.status).toBe('True');
    const n1 = nodeOf(at('node-failure.yaml', '46s').items, 'node-1');
    expect(ready(n1)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) expect(n1.status.conditions?.find((c) => c.type === type)?.status).toBe('Unknown');
  });

  it('is tainted unreachable (NoSchedule, then NoExecute at the next pass), and its pods are marked not Ready', () => {
    // NoSchedule with the Unknown condition; NoExecute through the zone's rate limiter after the 50.1 s pass, at 50.2 s.
    expect(taints(nodeOf(at('node-failure.yaml', '50s').items, 'node-1'))).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    const { items } = at('node-failure.yaml', '51s');
    expect(taints(nodeOf(items, 'node-1'))).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const onNode1 = webPods(items).filter((p) => p.spec.nodeName === 'node-1');
    expect(onNode1).toHaveLength(1);
    expect(ready(onNode1[0])?.status).toBe('False');
    expect(deployment(items).status.availableReplicas).toBe(2);
  });

  it("keeps its pod for the 300 s toleration, then evicts it and the Deployment is whole again elsewhere", () => {
    // NoExecute taint at 50.2 s, seen by the taint eviction controller 1 ms later: the pod's
    // tolerationSeconds 300 run out at 350.201 s.
    const before = at('node-failure.yaml', '350s').items;
    expect(webPods(before).filter((p) => p.spec.nodeName === 'node-1' && !p.metadata.deletionTimestamp)).toHaveLength(1);
    const after = at('node-failure.yaml', '355s').items;
    const evicted = webPods(after).find((p) => p.spec.nodeName === 'node-1')!;
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(evicted.status.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    // The replacement runs on a node that is left; the old pod stays Terminating: no kubelet can confirm it.
    expect(live(after)).toHaveLength(3);
    expect(live(after).every((p) => p.spec.nodeName !== 'node-1' && p.status.phase === 'Running')).toBe(true);
    expect(deployment(after).status.availableReplicas).toBe(3);
  });
});

describe('a partitioned node', () => {
  it('runs its pod on while a replacement starts elsewhere, and converges when the network heals', () => {
    // The partition at 10 s comes before node-1's 10 s renewal: its last heartbeat was seen at 0.1 s,
    // so Unknown at 45.1 s, NoExecute at 50.2 s, eviction at 350.2 s.
    const cut = at('network-partition.yaml', '7m').items;
    expect(ready(nodeOf(cut, 'node-1'))?.status).toBe('Unknown');
    const old = webPods(cut).find((p) => p.spec.nodeName === 'node-1')!;
    // On paper the pod is being deleted, but its containers still run there: the kubelet never heard.
    expect(old.metadata.deletionTimestamp).toBeDefined();
    expect(old.status.phase).toBe('Running');
    expect(live(cut)).toHaveLength(3);
    expect(live(cut).every((p) => p.spec.nodeName !== 'node-1')).toBe(true);

    // Healed at 8 m: the kubelet reports Ready, the taints go, and it stops the deleted pod (30 s grace).
    const healed = at('network-partition.yaml', '9m').items;
    expect(ready(nodeOf(healed, 'node-1'))?.status).toBe('True');
    expect(taints(nodeOf(healed, 'node-1'))).toEqual([]);
    expect(webPods(healed)).toHaveLength(3);
    expect(deployment(healed).status.availableReplicas).toBe(3);
  });
});

describe('etcd without quorum', () => {
  it('writes nothing new while running pods keep running, and converges once quorum returns', () => {
    const lost = at('quorum-loss-workload.yaml', '50s');
    expect(lost.err).toContain('sim: warning: at 30s scale:');
    expect(deployment(lost.items).spec.replicas).toBe(3);
    expect(webPods(lost.items)).toHaveLength(3);
    expect(webPods(lost.items).every((p) => p.status.phase === 'Running')).toBe(true);

    const back = at('quorum-loss-workload.yaml', '90s').items;
    expect(deployment(back).spec.replicas).toBe(5);
    expect(deployment(back).status.availableReplicas).toBe(5);
    expect(webPods(back).filter((p) => p.status.phase === 'Running')).toHaveLength(5);
  });
});
