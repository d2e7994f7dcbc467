import { describe, expect, it } from 'vitest';
import type { Deployment, Event, KubeObject, Pod, ReplicaSet } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { virtualMs } from '../kernel/time';
import { computeHash } from './controller-utils-hash';
import { FakeKubelet, stored, type FakeKubeletOptions } from './controller-utils-testing';
import { DEPLOYMENT_CONTROLLER } from './deployment';
import { rollbackTemplate } from './deployment-undo';

const S = 1000;

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '16', memory: '64Gi', pods: '110' } } });

interface DeploymentOpts {
  image?: string;
  strategy?: NonNullable<Deployment['spec']>['strategy'];
  revisionHistoryLimit?: number;
}

function deployment(replicas: number, o: DeploymentOpts = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      ...(o.strategy ? { strategy: o.strategy } : {}),
      ...(o.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: o.revisionHistoryLimit } : {}),
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: o.image ?? 'nginx:1.26' }] } },
    },
  };
}

/** A cluster of three nodes, the Deployment, a stand-in kubelet and handy views of the store. */
function setup(d: KubeObject, kubelet: FakeKubeletOptions = { readyAfterMs: 1000 }, nodes = [node('n1'), node('n2'), node('n3')]) {
  const cluster = createCluster({ ...emptyScenario(), objects: [...nodes, d] });
  const fake = new FakeKubelet(cluster, kubelet);
  const client = cluster.apiserver.client('test');
  const deploy = () => stored<Deployment>(cluster, 'deployments')[0];
  const rss = () => stored<ReplicaSet>(cluster, 'replicasets');
  const allPods = () => stored<Pod>(cluster, 'pods');
  const pods = () => allPods().filter((p) => !p.metadata?.deletionTimestamp);
  const events = (reason: string) => stored<Event>(cluster, 'events').filter((e) => e.source?.component === DEPLOYMENT_CONTROLLER && e.reason === reason);
  const edit = (f: (d: Deployment) => void) => {
    const cur = structuredClone(deploy());
    f(cur);
    const r = client.update(cur as KubeObject);
    if (!r.ok) throw new Error(r.status.message);
  };
  const setImage = (image: string) => edit((x) => (x.spec!.template!.spec!.containers[0].image = image));
  const scale = (replicas: number) => client.patch('Deployment', 'default', 'web', { spec: { replicas } });
  const rsOfImage = (image: string) => rss().find((r) => r.spec?.template?.spec?.containers[0].image === image);
  /** Runs every event up to `t`, calling `check` after each one. */
  const stepUntil = (t: number, check: () => void) => {
    for (let next = cluster.nextEventTime(); next !== undefined && next <= t; next = cluster.nextEventTime()) {
      cluster.step();
      check();
    }
    cluster.runUntil(t);
  };
  return { cluster, kubelet: fake, client, deploy, rss, pods, allPods, events, edit, setImage, scale, rsOfImage, stepUntil };
}

const image = (p: Pod) => p.spec!.containers[0].image;
const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const condition = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);
const complete = (d: Deployment) => {
  const s = d.status ?? { replicas: 0 };
  const want = d.spec!.replicas!;
  return (s.observedGeneration ?? 0) >= d.metadata!.generation! && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
};

describe('deployment-controller', () => {
  it('runs a Deployment of 3 through a ReplicaSet named for its pod-template-hash', () => {
    const { cluster, deploy, rss, pods, events } = setup(deployment(3));
    cluster.runUntil(5 * S);
    const d = deploy();
    const hash = computeHash(d.spec!.template);
    expect(rss().map((r) => r.metadata!.name)).toEqual([`web-${hash}`]);
    const rs = rss()[0];
    expect(rs.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec!.selector!.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec!.template!.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    // max-replicas: 3 + maxSurge ceil(25% of 3) = 4.
    expect(rs.metadata!.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(d.metadata!.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(pods()).toHaveLength(3);
    for (const p of pods()) {
      expect(p.metadata!.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(p.status?.phase).toBe('Running');
    }
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    expect(events('ScalingReplicaSet').map((e) => e.message)).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it('scales 3 -> 6 -> 2, deleting the not-Ready pod first, then the pods of the crowded node', () => {
    // n2 and n3 start cordoned: the first three pods all land on n1.
    const cordoned = (name: string): KubeObject => ({ ...node(name), spec: { unschedulable: true } });
    const { cluster, client, kubelet, pods, scale, rss, events } = setup(deployment(3), { readyAfterMs: 1000 }, [node('n1'), cordoned('n2'), cordoned('n3')]);
    cluster.runUntil(100 * S);
    const originals = pods().map((p) => p.metadata!.name!);
    expect(pods().map((p) => p.spec!.nodeName)).toEqual(['n1', 'n1', 'n1']);
    client.patch('Node', undefined, 'n2', { spec: { unschedulable: null } });
    client.patch('Node', undefined, 'n3', { spec: { unschedulable: null } });
    scale(6);
    cluster.runUntil(106 * S);
    const added = pods().filter((p) => !originals.includes(p.metadata!.name!));
    // The scheduler puts the three new pods on the empty nodes, one on one node and two on the other.
    const perNode = (n: string) => added.filter((p) => p.spec!.nodeName === n);
    expect([perNode('n2').length, perNode('n3').length].sort()).toEqual([1, 2]);
    const lonely = [perNode('n2'), perNode('n3')].find((l) => l.length === 1)![0].metadata!.name!;
    kubelet.makeNotReady('default', lonely);
    cluster.runUntil(110 * S);
    scale(2);
    cluster.runUntil(115 * S);
    // Four victims, in getPodsToDelete's order:
    //   1. the not-Ready pod (whatever its node);
    //   2-4. the three pods on n1 (3 related pods there, against 2 and 1 on the other nodes), although
    //        they are the oldest: at 110 s they were Ready 109 s (log2 of 1.09e11 ns: bucket 36) and the
    //        new ones 9 s (bucket 33), which alone would have made the new ones go first.
    const survivors = added.map((p) => p.metadata!.name!).filter((n) => n !== lonely);
    expect(pods().map((p) => p.metadata!.name).sort()).toEqual(survivors.sort());
    expect(rss()[0].status).toMatchObject({ replicas: 2, availableReplicas: 2 });
    const rs = rss()[0].metadata!.name;
    expect(events('ScalingReplicaSet').map((e) => e.message)).toEqual([
      `Scaled up replica set ${rs} from 0 to 3`,
      `Scaled up replica set ${rs} from 3 to 6`,
      `Scaled down replica set ${rs} from 6 to 2`,
    ]);
  });

  const rollingUpdate = (replicas: number, maxSurge: number | string, maxUnavailable: number | string, surge: number, unavailable: number) => {
    const { cluster, setImage, pods, deploy, rsOfImage, stepUntil } = setup(
      deployment(replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } }),
    );
    cluster.runUntil(5 * S);
    setImage('nginx:1.27');
    let maxTotal = 0;
    let minAvailable = Infinity;
    let done = -1;
    stepUntil(60 * S, () => {
      const active = pods();
      const available = active.filter(isReady).length;
      maxTotal = Math.max(maxTotal, active.length);
      minAvailable = Math.min(minAvailable, available);
      if (done < 0 && complete(deploy())) done = cluster.now;
    });
    expect(done).toBeGreaterThan(0);
    expect(maxTotal).toBe(replicas + surge);
    expect(minAvailable).toBe(replicas - unavailable);
    expect(pods().map(image)).toEqual(Array(replicas).fill('nginx:1.27'));
    expect(rsOfImage('nginx:1.26')!.spec!.replicas).toBe(0);
    expect(rsOfImage('nginx:1.27')!.metadata!.annotations!['deployment.kubernetes.io/max-replicas']).toBe(String(replicas + surge));
  };

  it('rolls 4 replicas with maxSurge 1, maxUnavailable 0: never more than 5 pods, never fewer than 4 available', () => {
    rollingUpdate(4, 1, 0, 1, 0);
  });

  it('rolls 10 replicas with the 25%/25% defaults: surge 3 (2.5 up), unavailable 2 (2.5 down), at every instant', () => {
    rollingUpdate(10, '25%', '25%', 3, 2);
  });

  it('Recreate stops every old pod, waits until they are gone, then starts the new ones', () => {
    const { cluster, setImage, allPods, deploy, stepUntil } = setup(deployment(3, { strategy: { type: 'Recreate' } }), { readyAfterMs: 1000, terminationDelayMs: 2000 });
    cluster.runUntil(5 * S);
    setImage('nginx:1.27');
    let overlap = false;
    let sawNone = false;
    stepUntil(30 * S, () => {
      const all = allPods(); // terminating pods included: they still run
      const images = new Set(all.map(image));
      if (images.has('nginx:1.26') && images.has('nginx:1.27')) overlap = true;
      if (all.length === 0) sawNone = true;
    });
    expect(overlap).toBe(false);
    expect(sawNone).toBe(true);
    expect(complete(deploy())).toBe(true);
    expect(allPods().map(image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  });

  const rollouts = (limit: number | undefined, changes: number) => {
    const { cluster, setImage, rss, deploy } = setup(deployment(1, { revisionHistoryLimit: limit }), { readyAfterMs: 100 });
    cluster.runUntil(2 * S);
    for (let i = 1; i <= changes; i++) {
      setImage(`nginx:1.${i}`);
      cluster.runUntil(cluster.now + 3 * S);
      expect(complete(deploy())).toBe(true);
    }
    const revisions = rss()
      .map((r) => Number(r.metadata!.annotations!['deployment.kubernetes.io/revision']))
      .sort((a, b) => a - b);
    return { revisions, deploy };
  };

  it('keeps revisionHistoryLimit (default 10) old ReplicaSets, deleting the oldest', () => {
    // 12 template changes: revisions 1..13; 12 old ones, 10 kept: 1 and 2 go.
    const { revisions, deploy } = rollouts(undefined, 12);
    expect(revisions).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(deploy().metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('13');
  });

  it('keeps only 2 old ReplicaSets with revisionHistoryLimit 2', () => {
    // 4 changes: revisions 1..5; the current one and 2 old ones (3, 4) stay.
    expect(rollouts(2, 4).revisions).toEqual([3, 4, 5]);
  });

  it('reports ProgressDeadlineExceeded when new pods never become Ready, 600 s (+1 s) after the last progress', () => {
    const { cluster, setImage, deploy, rsOfImage } = setup(deployment(4), { readyAfterMs: 0, neverReady: (p) => image(p) === 'nginx:broken' });
    cluster.runUntil(5 * S);
    setImage('nginx:broken');
    cluster.runUntil(10 * S);
    // Stuck: surge 1, unavailable 1 -> old 3 + new 2 = 5, and the 2 new pods are never available.
    expect(rsOfImage('nginx:1.26')!.spec!.replicas).toBe(3);
    expect(rsOfImage('nginx:broken')!.spec!.replicas).toBe(2);
    const last = condition(deploy(), 'Progressing')!;
    expect(last.reason).toBe('ReplicaSetUpdated');
    const from = virtualMs(last.lastUpdateTime!);
    // The controller looks again at lastUpdateTime + 600 s + 1 s (its clock-skew second), and then
    // lastUpdateTime + 600 s is before now: timed out.
    cluster.runUntil(from + 601 * S - 1);
    expect(condition(deploy(), 'Progressing')!.reason).toBe('ReplicaSetUpdated');
    cluster.runUntil(from + 601 * S + 10);
    const name = rsOfImage('nginx:broken')!.metadata!.name;
    expect(condition(deploy(), 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` });
    // Three old pods are still available (4 - maxUnavailable 1).
    expect(condition(deploy(), 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
  });

  it('a paused Deployment scales but does not roll out; resumed, it rolls out', () => {
    const { cluster, edit, setImage, scale, rss, pods, deploy, events, rsOfImage } = setup(deployment(3));
    cluster.runUntil(5 * S);
    edit((d) => (d.spec!.paused = true));
    cluster.runUntil(6 * S);
    expect(condition(deploy(), 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    setImage('nginx:1.27');
    scale(5);
    cluster.runUntil(15 * S);
    expect(rss()).toHaveLength(1);
    expect(pods().map(image)).toEqual(Array(5).fill('nginx:1.26'));
    const old = rss()[0].metadata!.name;
    expect(events('ScalingReplicaSet').map((e) => e.message)).toContain(`Scaled up replica set ${old} from 3 to 5`);
    edit((d) => (d.spec!.paused = false));
    cluster.runUntil(40 * S);
    expect(rss()).toHaveLength(2);
    expect(pods().map(image)).toEqual(Array(5).fill('nginx:1.27'));
    expect(condition(deploy(), 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(rsOfImage('nginx:1.26')!.spec!.replicas).toBe(0);
  });

  it('scales proportionally when replicas change mid-rollout', () => {
    const { cluster, setImage, scale, rsOfImage, events } = setup(deployment(10), { readyAfterMs: 0, neverReady: (p) => image(p) === 'nginx:broken' });
    cluster.runUntil(5 * S);
    setImage('nginx:broken');
    cluster.runUntil(10 * S);
    // Stuck at old 8 + new 5 = 13 (10 + surge 3), since 5 new pods are unavailable and at least 8 must be.
    const old = rsOfImage('nginx:1.26')!;
    const fresh = rsOfImage('nginx:broken')!;
    expect([old.spec!.replicas, fresh.spec!.replicas]).toEqual([8, 5]);
    scale(20);
    cluster.runUntil(12 * S);
    // 20 + ceil(25% of 20) = 25 allowed, 12 to add, largest first: old round(8 * 25 / 13) - 8 = 7, new round(5 * 25 / 13) - 5 = 5.
    expect([rsOfImage('nginx:1.26')!.spec!.replicas, rsOfImage('nginx:broken')!.spec!.replicas]).toEqual([15, 10]);
    const messages = events('ScalingReplicaSet').map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${old.metadata!.name} from 8 to 15`);
    expect(messages).toContain(`Scaled up replica set ${fresh.metadata!.name} from 5 to 10`);
    expect(rsOfImage('nginx:1.26')!.metadata!.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '20', 'deployment.kubernetes.io/max-replicas': '25' });
  });

  it('rollbackTemplate gives the previous revision; applied, its ReplicaSet comes back as revision 3', () => {
    const { cluster, setImage, edit, rss, deploy, pods, rsOfImage } = setup(deployment(2));
    cluster.runUntil(5 * S);
    setImage('nginx:1.27');
    cluster.runUntil(20 * S);
    const plan = rollbackTemplate(deploy(), rss());
    expect(plan).toMatchObject({ outcome: 'rollback', revision: 1, replicaSet: rsOfImage('nginx:1.26')!.metadata!.name });
    if (plan.outcome !== 'rollback') return;
    expect(plan.template.spec!.containers[0].image).toBe('nginx:1.26');
    edit((d) => {
      d.spec!.template = plan.template;
      d.metadata!.annotations = plan.annotations;
    });
    cluster.runUntil(40 * S);
    // No new ReplicaSet: the old one is the new one again, with its history.
    expect(rss()).toHaveLength(2);
    expect(rsOfImage('nginx:1.26')!.metadata!.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(deploy().metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    expect(pods().map(image)).toEqual(['nginx:1.26', 'nginx:1.26']);
  });

  it('a ReplicaSet that is not ours holding the name is a hash collision: collisionCount 1, a new hash', () => {
    const { cluster, client, deploy, rss } = setup(deployment(2));
    // Hold the controllers back until the squatter is in place.
    cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
    const template = deploy().spec!.template;
    const taken = `web-${computeHash(template)}`;
    const other = { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } };
    const squatter = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: taken, namespace: 'default', labels: { app: 'other' } }, spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: other } };
    expect(client.create(squatter as KubeObject).ok).toBe(true);
    cluster.act({ action: 'startComponent', component: 'kube-controller-manager' });
    // The restarted process leads once its predecessor's Lease has gone 15 s unrenewed in its eyes (by 19.4 s).
    cluster.runUntil(30 * S);
    expect(deploy().status!.collisionCount).toBe(1);
    const mine = rss().filter((r) => r.metadata!.ownerReferences?.[0]?.uid === deploy().metadata!.uid);
    // ComputeHash salts the template with collisionCount (uint32, little-endian).
    expect(mine.map((r) => r.metadata!.name)).toEqual([`web-${computeHash(template, 1)}`]);
    expect(mine[0].status?.availableReplicas).toBe(2);
  });

  it('honours the deprecated rollbackTo annotation: copies the revision back and clears it', () => {
    const { cluster, edit, setImage, deploy, pods, events } = setup(deployment(2));
    cluster.runUntil(5 * S);
    setImage('nginx:1.27');
    cluster.runUntil(20 * S);
    edit((d) => (d.metadata!.annotations = { ...d.metadata!.annotations, 'deprecated.deployment.rollback.to': '9' }));
    cluster.runUntil(21 * S);
    expect(events('DeploymentRollbackRevisionNotFound').map((e) => [e.type, e.message])).toEqual([['Warning', 'Unable to find the revision to rollback to.']]);
    expect(deploy().metadata!.annotations!['deprecated.deployment.rollback.to']).toBeUndefined();
    edit((d) => (d.metadata!.annotations = { ...d.metadata!.annotations, 'deprecated.deployment.rollback.to': '1' }));
    cluster.runUntil(40 * S);
    expect(events('DeploymentRollback').map((e) => e.message)).toEqual(['Rolled back deployment "web" to revision 1']);
    expect(deploy().metadata!.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3' });
    expect(pods().map(image)).toEqual(['nginx:1.26', 'nginx:1.26']);
  });

  it('is deterministic: the same rollout twice gives the same state', () => {
    const run = () => {
      const { cluster, setImage } = setup(deployment(5));
      cluster.runUntil(5 * S);
      setImage('nginx:1.27');
      cluster.runUntil(30 * S);
      return cluster.stateHash();
    };
    expect(run()).toBe(run());
  });
});
