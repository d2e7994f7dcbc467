// The StatefulSet and volume stories of the gallery, checked through the
// CLI: what statefulset-rollout.yaml and zonal-volume.yaml tell the user to
// watch must be what the simulation does, at the instants they name.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };
type Obj = {
  kind: string;
  metadata: { name: string; uid: string; creationTimestamp: string; deletionTimestamp?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    volumeName?: string;
    containers?: Array<{ image: string }>;
    volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
    nodeAffinity?: { required: { nodeSelectorTerms: Array<{ matchExpressions: Array<{ key: string; values: string[] }> }> } };
  };
  status: { phase?: string; conditions?: Condition[]; currentRevision?: string; updateRevision?: string; currentReplicas?: number; updatedReplicas?: number; readyReplicas?: number };
};

const runs = new Map<string, Obj[]>();
function at(file: string, until: string): Obj[] {
  const k = `${file}@${until}`;
  const cached = runs.get(k);
  if (cached) return cached;
  const out: string[] = [];
  const code = main(['run', fileURLToPath(new URL(`../scenario/examples/${file}`, import.meta.url)), '--until', until], (s) => out.push(s), () => {});
  expect(code).toBe(0);
  const items = JSON.parse(out.join('\n')).items as Obj[];
  runs.set(k, items);
  return items;
}

const of = (items: Obj[], kind: string) => items.filter((o) => o.kind === kind);
const find = (items: Obj[], kind: string, name: string) => items.find((o) => o.kind === kind && o.metadata.name === name);
const live = (items: Obj[]) => of(items, 'Pod').filter((p) => !p.metadata.deletionTimestamp);
const names = (pods: Obj[]) => pods.map((p) => p.metadata.name).sort();
const readyAt = (p: Obj) => p.status.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
const revision = (p: Obj) => p.metadata.labels?.['controller-revision-hash'];
const zoneOf = (items: Obj[], node: string) => find(items, 'Node', node)!.metadata.labels!['topology.kubernetes.io/zone'];

describe('statefulset-rollout', () => {
  const sts = 'statefulset-rollout.yaml';

  it('creates web-1 only once web-0 is Running and Ready, and web-2 after web-1', () => {
    // web-0's claim is provisioned in 2 s; the scheduler's PreBind polls each second, so web-0 is bound
    // at 3 s; sandbox 0.5 s and the pull of nginx:1.27 (3.6 s + 0.2 s) make it Running and Ready at 7.3 s.
    const early = at(sts, '7s');
    expect(names(of(early, 'Pod'))).toEqual(['web-0']);
    expect(find(early, 'Pod', 'web-0')!.status.phase).toBe('Pending');
    const next = at(sts, '7500ms');
    expect(names(of(next, 'Pod'))).toEqual(['web-0', 'web-1']);
    expect(find(next, 'Pod', 'web-0')!.status.phase).toBe('Running');
    const all = at(sts, '30s');
    const pods = ['web-0', 'web-1', 'web-2'].map((n) => find(all, 'Pod', n)!);
    expect(pods.map((p) => p.status.phase)).toEqual(['Running', 'Running', 'Running']);
    // Each was created no earlier than its predecessor became Ready (second-resolution timestamps).
    expect(pods[1].metadata.creationTimestamp >= readyAt(pods[0])!).toBe(true);
    expect(pods[2].metadata.creationTimestamp >= readyAt(pods[1])!).toBe(true);
    expect(pods[1].spec).toMatchObject({ hostname: 'web-1', subdomain: 'web' });
    expect(pods[1].metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' });
  });

  it("gives each pod its claim, provisioned in its node's zone", () => {
    const items = at(sts, '30s');
    for (const n of [0, 1, 2]) {
      const p = find(items, 'Pod', `web-${n}`)!;
      expect(p.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: `data-web-${n}` } }]);
      const claim = find(items, 'PersistentVolumeClaim', `data-web-${n}`)!;
      expect(claim.status.phase).toBe('Bound');
      expect(claim.metadata.annotations!['volume.kubernetes.io/selected-node']).toBe(p.spec.nodeName);
      const pv = find(items, 'PersistentVolume', claim.spec.volumeName!)!;
      expect(pv.spec.nodeAffinity!.required.nodeSelectorTerms[0].matchExpressions[0]).toMatchObject({ key: 'topology.kubernetes.io/zone', values: [zoneOf(items, p.spec.nodeName!)] });
    }
  });

  it('with partition 2 replaces only web-2, on the same claim and node; partition 0 then does web-1 and web-0', () => {
    const before = at(sts, '30s');
    const oldRev = find(before, 'StatefulSet', 'web')!.status.currentRevision;
    // At 60 s web-2 is deleted (it stops 1 s after SIGTERM), recreated at once on its bound claim, and Running by 66 s.
    const partial = at(sts, '70s');
    const set = find(partial, 'StatefulSet', 'web')!;
    const newRev = set.status.updateRevision;
    expect(newRev).not.toBe(oldRev);
    expect(set.status).toMatchObject({ currentRevision: oldRev, currentReplicas: 2, updatedReplicas: 1, readyReplicas: 3 });
    expect(['web-0', 'web-1', 'web-2'].map((n) => revision(find(partial, 'Pod', n)!))).toEqual([oldRev, oldRev, newRev]);
    expect(find(partial, 'Pod', 'web-2')!.spec.containers![0].image).toBe('nginx:1.28');
    // The claim outlived the pod: the same object, and the new web-2 runs where its volume is.
    expect(find(partial, 'PersistentVolumeClaim', 'data-web-2')!.metadata.uid).toBe(find(before, 'PersistentVolumeClaim', 'data-web-2')!.metadata.uid);
    expect(find(partial, 'Pod', 'web-2')!.spec.nodeName).toBe(find(before, 'Pod', 'web-2')!.spec.nodeName);
    // At 120 s: web-1 first; web-0 stays until web-1 is back and Ready.
    const mid = at(sts, '120500ms');
    expect(find(mid, 'Pod', 'web-1')!.metadata.deletionTimestamp).toBeDefined();
    expect(find(mid, 'Pod', 'web-0')!.metadata.deletionTimestamp).toBeUndefined();
    const done = at(sts, '150s');
    expect(['web-0', 'web-1', 'web-2'].map((n) => revision(find(done, 'Pod', n)!))).toEqual([newRev, newRev, newRev]);
    expect(find(done, 'StatefulSet', 'web')!.status).toMatchObject({ currentRevision: newRev, updateRevision: newRev, currentReplicas: 3, updatedReplicas: 3 });
    expect(of(done, 'ControllerRevision').map((r) => r.metadata.name).sort()).toEqual([oldRev, newRev].sort());
  });

  it('scales down from the highest ordinal and keeps the claims, which the pods get back when scaled up', () => {
    // At 180 s: web-2 first (gone about 1 s later), only then web-1.
    const first = at(sts, '180500ms');
    expect(find(first, 'Pod', 'web-2')!.metadata.deletionTimestamp).toBeDefined();
    expect(find(first, 'Pod', 'web-1')!.metadata.deletionTimestamp).toBeUndefined();
    const second = at(sts, '181500ms');
    expect(find(second, 'Pod', 'web-2')).toBeUndefined();
    expect(find(second, 'Pod', 'web-1')!.metadata.deletionTimestamp).toBeDefined();
    const down = at(sts, '200s');
    expect(names(live(down))).toEqual(['web-0']);
    const claims = of(down, 'PersistentVolumeClaim');
    expect(claims.map((c) => [c.metadata.name, c.status.phase])).toEqual([
      ['data-web-0', 'Bound'],
      ['data-web-1', 'Bound'],
      ['data-web-2', 'Bound'],
    ]);
    // At 240 s back to 3: web-1 first (its image is on its node: Ready after the 0.5 s sandbox), then web-2.
    expect(names(live(at(sts, '240300ms')))).toEqual(['web-0', 'web-1']);
    const up = at(sts, '250s');
    expect(names(live(up))).toEqual(['web-0', 'web-1', 'web-2']);
    for (const n of [1, 2]) {
      expect(find(up, 'Pod', `web-${n}`)!.spec.volumes![0].persistentVolumeClaim!.claimName).toBe(`data-web-${n}`);
      expect(find(up, 'PersistentVolumeClaim', `data-web-${n}`)!.metadata.uid).toBe(find(down, 'PersistentVolumeClaim', `data-web-${n}`)!.metadata.uid);
    }
  });
});

describe('zonal-volume', () => {
  const zv = 'zonal-volume.yaml';
  const dbPods = (items: Obj[]) => live(items).filter((p) => p.metadata.name.startsWith('db-'));

  it('binds the claim to the zone-b volume and runs the pod on node-b, the other nodes refused by VolumeBinding', () => {
    const items = at(zv, '20s');
    expect(find(items, 'PersistentVolumeClaim', 'data')!.spec.volumeName).toBe('data-b');
    const [pod] = dbPods(items);
    expect(pod.spec.nodeName).toBe('node-b');
    expect(pod.status.phase).toBe('Running');
    const filter = JSON.parse(pod.metadata.annotations!['kubeviz.dev/filter-result']);
    expect(filter['node-a'].VolumeBinding).toBe('node(s) had volume node affinity conflict');
    expect(filter['node-c'].VolumeBinding).toBe('node(s) had volume node affinity conflict');
    expect(filter['node-b']).toMatchObject({ VolumeBinding: 'passed', VolumeZone: 'passed' });
  });

  it('leaves the recreated pod Pending once node-b is cordoned, with the upstream reasons', () => {
    const items = at(zv, '55s');
    const [pod] = dbPods(items);
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
  });
});
