import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import type { WatchEvent } from './watch-hub';

const pod = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
  ...extra,
});
const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });

function setup() {
  const cluster = createCluster({ ...emptyScenario(), objects: [node('node-1'), node('node-2')] });
  return { cluster, api: cluster.apiserver.client('test'), server: cluster.apiserver };
}

describe('apiserver create/get/list', () => {
  it('creates with defaults, a uid, resourceVersion and the admission defaults', () => {
    const { api } = setup();
    const r = api.create(pod('web'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.object as KubeObject & { spec: Record<string, unknown>; status: Record<string, unknown> };
    expect(p.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(p.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(p.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(p.spec.restartPolicy).toBe('Always');
    expect(p.spec.terminationGracePeriodSeconds).toBe(30);
    expect(p.status.phase).toBe('Pending');
    // DefaultTolerationSeconds admission
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const got = api.get('Pod', 'default', 'web');
    expect(got.ok && got.object).toEqual(p);
  });

  it('rejects a duplicate with 409 AlreadyExists and an unknown one with 404', () => {
    const { api } = setup();
    api.create(pod('web'));
    const dup = api.create(pod('web'));
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'pods "web" already exists' });
    const missing = api.get('Pod', 'default', 'nope');
    expect(!missing.ok && missing.status).toMatchObject({ code: 404, message: 'pods "nope" not found' });
  });

  it('rejects an invalid object with 422 and the field path, and stores nothing', () => {
    const { api, cluster } = setup();
    const before = cluster.revision;
    const r = api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: -1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status.code).toBe(422);
      expect(r.status.message).toBe('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    }
    expect(cluster.revision).toBe(before);
  });

  it('names generated objects from generateName with a seeded suffix', () => {
    const { api } = setup();
    const r = api.create({ ...pod(''), metadata: { generateName: 'web-', namespace: 'default' } });
    expect(r.ok && r.object.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('refuses objects in a namespace that does not exist (NamespaceLifecycle)', () => {
    const { api } = setup();
    const r = api.create({ ...pod('x'), metadata: { name: 'x', namespace: 'nope' } });
    expect(!r.ok && r.status).toMatchObject({ code: 404, message: 'namespaces "nope" not found' });
  });

  it('lists by label and field selector', () => {
    const { api } = setup();
    api.create({ ...pod('a'), metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } } });
    api.create({ ...pod('b'), metadata: { name: 'b', namespace: 'default', labels: { app: 'y' } } });
    api.bind('default', 'b', 'node-1');
    const byLabel = api.list('Pod', { labelSelector: 'app=x' });
    expect(byLabel.ok && byLabel.items.map((o) => o.metadata.name)).toEqual(['a']);
    const byNode = api.list('Pod', { fieldSelector: 'spec.nodeName=node-1' });
    expect(byNode.ok && byNode.items.map((o) => o.metadata.name)).toEqual(['b']);
    const bad = api.list('Pod', { fieldSelector: 'spec.color=red' });
    expect(!bad.ok && bad.status).toMatchObject({ code: 400, message: 'field label not supported: spec.color' });
  });
});

describe('optimistic concurrency', () => {
  it('answers a write with a stale resourceVersion with 409 Conflict', () => {
    const { api } = setup();
    const created = api.create(pod('web'));
    if (!created.ok) throw new Error('create failed');
    const first = api.update({ ...created.object, metadata: { ...created.object.metadata, labels: { v: '1' } } });
    expect(first.ok).toBe(true);
    const stale = api.update({ ...created.object, metadata: { ...created.object.metadata, labels: { v: '2' } } });
    expect(stale.ok).toBe(false);
    if (!stale.ok)
      expect(stale.status).toMatchObject({
        code: 409,
        reason: 'Conflict',
        message: 'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
      });
  });

  it('does not write an update that changes nothing', () => {
    const { api, cluster } = setup();
    const created = api.create(pod('web'));
    if (!created.ok) throw new Error();
    const rev = cluster.revision;
    const same = api.update(created.object);
    expect(same.ok && same.object.metadata.resourceVersion).toBe(created.object.metadata.resourceVersion);
    expect(cluster.revision).toBe(rev);
  });

  it('keeps status on a main-resource update and spec on a status update', () => {
    const { api } = setup();
    const c = api.create(pod('web'));
    if (!c.ok) throw new Error();
    const s = api.updateStatus({ ...c.object, spec: { containers: [] }, status: { phase: 'Running' } });
    expect(s.ok && (s.object.status as { phase: string }).phase).toBe('Running');
    expect(s.ok && (s.object.spec as { containers: unknown[] }).containers).toHaveLength(1);
    if (!s.ok) return;
    const u = api.update({ ...s.object, status: { phase: 'Failed' }, metadata: { ...s.object.metadata, labels: { a: 'b' } } });
    expect(u.ok && (u.object.status as { phase: string }).phase).toBe('Running');
  });

  it('applies a JSON merge patch', () => {
    const { api } = setup();
    api.create({ ...pod('web'), metadata: { name: 'web', namespace: 'default', labels: { a: '1', b: '2' } } });
    const r = api.patch('Pod', 'default', 'web', { metadata: { labels: { a: null, c: '3' } } });
    expect(r.ok && r.object.metadata.labels).toEqual({ b: '2', c: '3' });
  });
});

describe('subresources and deletion', () => {
  it('binds a pod once (pods/binding) and sets PodScheduled', () => {
    const { api } = setup();
    api.create(pod('web'));
    const b = api.bind('default', 'web', 'node-2');
    expect(b.ok && (b.object.spec as { nodeName: string }).nodeName).toBe('node-2');
    expect(b.ok && (b.object.status as { conditions: Array<{ type: string; status: string }> }).conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
    );
    const again = api.bind('default', 'web', 'node-1');
    expect(!again.ok && again.status).toMatchObject({ code: 409, message: expect.stringContaining('is already assigned to node "node-2"') });
  });

  it('deletes an unscheduled pod at once and a bound one gracefully (30 s)', () => {
    const { api, cluster } = setup();
    api.create(pod('loose'));
    api.create(pod('bound'));
    api.bind('default', 'bound', 'node-1');
    expect(api.delete('Pod', 'default', 'loose').ok).toBe(true);
    expect(api.get('Pod', 'default', 'loose').ok).toBe(false);
    cluster.runUntil(10_000);
    const d = api.delete('Pod', 'default', 'bound');
    expect(d.ok && d.object.metadata).toMatchObject({ deletionGracePeriodSeconds: 30, deletionTimestamp: '2026-01-01T00:00:40Z' });
    expect(api.get('Pod', 'default', 'bound').ok).toBe(true);
    // The kubelet finishes with grace period 0.
    expect(api.delete('Pod', 'default', 'bound', { gracePeriodSeconds: 0 }).ok).toBe(true);
    expect(api.get('Pod', 'default', 'bound').ok).toBe(false);
  });

  it('keeps an object with finalizers until the last one is removed', () => {
    const { api } = setup();
    api.create({ ...pod('f'), metadata: { name: 'f', namespace: 'default', finalizers: ['example.com/hold'] } });
    const d = api.delete('Pod', 'default', 'f');
    expect(d.ok && d.object.metadata.deletionTimestamp).toBeDefined();
    const cur = api.get('Pod', 'default', 'f');
    if (!cur.ok) throw new Error();
    const u = api.update({ ...cur.object, metadata: { ...cur.object.metadata, finalizers: [] } });
    expect(u.ok).toBe(true);
    expect(api.get('Pod', 'default', 'f').ok).toBe(false);
  });

  it('evicts through pods/eviction', () => {
    const { api, cluster } = setup();
    api.create(pod('web'));
    api.bind('default', 'web', 'node-1');
    expect(api.evict('default', 'web').ok).toBe(true);
    const msgs = cluster.trace().filter((m) => m.resource === 'pods/eviction');
    expect(msgs).toHaveLength(1);
  });

  it('allocates a ClusterIP from 10.96.0.0/12 and refuses one outside it', () => {
    const { api } = setup();
    const svc = (name: string, clusterIP?: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { selector: { app: name }, ports: [{ port: 80 }], ...(clusterIP ? { clusterIP } : {}) },
    });
    const r = api.create(svc('web'));
    const ip = r.ok ? (r.object.spec as { clusterIP: string }).clusterIP : '';
    expect(ip).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    const bad = api.create(svc('other', '192.168.0.1'));
    expect(!bad.ok && bad.status.message).toContain('provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  });
});

describe('quorum and availability', () => {
  it('fails writes when etcd has no quorum, with etcd\'s message, and keeps serving reads', () => {
    const { api, cluster } = setup();
    api.create(pod('before'));
    cluster.act({ action: 'stopComponent', component: 'etcd-2' });
    cluster.act({ action: 'stopComponent', component: 'etcd-3' });
    const r = api.create(pod('after'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toMatchObject({ code: 500, message: 'etcdserver: request timed out' });
    expect(api.get('Pod', 'default', 'before').ok).toBe(true);
    const failed = cluster.trace().filter((m) => m.verb === 'txn' && !m.ok);
    expect(failed.length).toBeGreaterThan(0);
    // Quorum back: writes work again.
    cluster.act({ action: 'startComponent', component: 'etcd-2' });
    cluster.runUntil(cluster.now + 5000);
    expect(api.create(pod('later')).ok).toBe(true);
  });

  it('refuses every request while kube-apiserver is stopped', () => {
    const { api, cluster } = setup();
    cluster.act({ action: 'stopComponent', component: 'kube-apiserver' });
    const r = api.get('Pod', 'default', 'x');
    expect(!r.ok && r.status.message).toContain('was refused');
    cluster.act({ action: 'startComponent', component: 'kube-apiserver' });
    expect(api.create(pod('x')).ok).toBe(true);
  });
});

describe('watch', () => {
  it('delivers ADDED, MODIFIED, DELETED in order, after the watch delay', () => {
    const { api, cluster } = setup();
    const seen: string[] = [];
    api.watch('Pod', { resourceVersion: String(cluster.revision) }, (e) => seen.push(`${e.type} ${(e.object as KubeObject).metadata?.name}`));
    api.create(pod('a'));
    api.patch('Pod', 'default', 'a', { metadata: { labels: { x: 'y' } } });
    api.delete('Pod', 'default', 'a');
    expect(seen).toEqual([]);
    cluster.runUntil(cluster.now + 1);
    expect(seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  it('starts with ADDED for what exists when no resourceVersion is given', () => {
    const { api, cluster } = setup();
    const seen: string[] = [];
    api.watch('Node', {}, (e) => seen.push(`${e.type} ${(e.object as KubeObject).metadata?.name}`));
    cluster.runUntil(cluster.now + 1);
    // The initial state comes first (the kubelets' status writes may follow).
    expect(seen.slice(0, 2)).toEqual(['ADDED node-1', 'ADDED node-2']);
  });

  it('a node-pinned pod watch sees a pod arrive when it is bound there and leave when it moves out of the selection', () => {
    const { api, cluster } = setup();
    const n1: WatchEvent[] = [];
    const n2: WatchEvent[] = [];
    api.watch('Pod', { fieldSelector: 'spec.nodeName=node-1' }, (e) => n1.push(e));
    api.watch('Pod', { fieldSelector: 'spec.nodeName=node-2' }, (e) => n2.push(e));
    api.create(pod('a'));
    api.bind('default', 'a', 'node-1');
    api.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 });
    cluster.runUntil(cluster.now + 1);
    expect(n1.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    expect(n2).toEqual([]);
  });

  it('answers a watch from a compacted revision with 410 Gone', () => {
    const { api, cluster } = setup();
    const old = cluster.revision;
    for (let i = 0; i < 5; i++) api.create(pod(`p${i}`));
    // The apiserver compacts every 5 minutes to the revision it saw 5 minutes before.
    cluster.runUntil(10 * 60_000 + 1);
    expect(cluster.etcd.store.compactedRevision).toBeGreaterThan(old);
    const seen: WatchEvent[] = [];
    api.watch('Pod', { resourceVersion: String(old) }, (e) => seen.push(e));
    cluster.runUntil(cluster.now + 1);
    expect(seen).toHaveLength(1);
    expect(seen[0].type).toBe('ERROR');
    expect(seen[0].object).toMatchObject({ code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/) });
  });

  it("hands each event its object's store key, and watchers that see a change alike one shared event", () => {
    const { api, cluster } = setup();
    const a: [WatchEvent, string][] = [];
    const b: [WatchEvent, string][] = [];
    const nodes: string[] = [];
    api.watch('Pod', { resourceVersion: String(cluster.revision), allowBookmarks: true }, (e, k) => a.push([e, k]));
    api.watch('Pod', { resourceVersion: String(cluster.revision) }, (e, k) => b.push([e, k]));
    api.watch('Node', { resourceVersion: String(cluster.revision) }, (_e, k) => nodes.push(k));
    api.create(pod('a'));
    api.delete('Pod', 'default', 'a');
    api.patch('Node', undefined, 'node-1', { metadata: { labels: { x: 'y' } } });
    cluster.runUntil(60_001);
    expect(a.map(([e, k]) => `${e.type} ${k}`)).toEqual(['ADDED default/a', 'DELETED default/a', 'BOOKMARK ']);
    expect(b.map(([e, k]) => `${e.type} ${k}`)).toEqual(['ADDED default/a', 'DELETED default/a']);
    expect(a[0][0]).toBe(b[0][0]);
    expect(a[1][0]).toBe(b[1][0]);
    expect(nodes[0]).toBe('node-1');
  });

  it('sends BOOKMARKs every minute to watches that ask for them', () => {
    const { api, cluster } = setup();
    const seen: string[] = [];
    api.watch('Pod', { resourceVersion: String(cluster.revision), allowBookmarks: true }, (e) => seen.push(e.type));
    cluster.runUntil(60_001);
    expect(seen).toEqual(['BOOKMARK']);
  });

  it('closes watches when the apiserver stops', () => {
    const { api, cluster } = setup();
    let closed = 0;
    const h = api.watch('Pod', { onClose: () => closed++ }, () => {});
    cluster.act({ action: 'stopComponent', component: 'kube-apiserver' });
    expect(closed).toBe(1);
    expect(h.ok && h.object.closed).toBe(true);
    expect(cluster.apiserver.watchCount).toBe(0);
  });

  it('traces the request, the etcd transaction and the watch event as wire messages', () => {
    const { api, cluster } = setup();
    api.watch('Pod', { resourceVersion: String(cluster.revision) }, () => {});
    api.create(pod('a'));
    cluster.runUntil(cluster.now + 1);
    // kube-scheduler and kube-controller-manager watch too (and the scheduler then binds the pod): only this client's messages here.
    const mine = (m: { from: string; to: string }) => m.from === 'test' || m.to === 'test' || (m.from === 'kube-apiserver' && m.to.startsWith('etcd'));
    const msgs = cluster.trace().filter((m) => (m.key.endsWith('/a') || m.key === 'default/a') && mine(m));
    expect(msgs.slice(0, 3).map((m) => `${m.from}>${m.to} ${m.verb}${m.detail ? ` ${m.detail}` : ''}`)).toEqual([
      'test>kube-apiserver create',
      'kube-apiserver>etcd-1 txn',
      'kube-apiserver>test watch ADDED',
    ]);
  });
});
