// dryRun=All on create and update (k8s.io/apiserver's DryRunnableStorage):
// the whole pipeline answers as the real request would, and nothing about
// the cluster moves: not the revision, not the watches, not the seed's ids,
// not the trace, not what happens later.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import type { WatchEvent } from './watch-hub';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const pod = (metadata: KubeObject['metadata']): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});
const deployment = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
});
const service = (spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'svc', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
});

function setup() {
  const cluster = createCluster({ ...emptyScenario(), objects: [node('node-1'), node('node-2'), deployment(3)] });
  return { cluster, api: cluster.apiserver.client('test') };
}

describe('dry-run create', () => {
  it('answers with the object as it would be stored and stores nothing', () => {
    const { cluster, api } = setup();
    const revision = cluster.revision;
    const messages = cluster.kernel.trace.count;
    const hash = cluster.stateHash();
    const r = api.create(pod({ generateName: 'probe-' }), { dryRun: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.object as KubeObject & { spec: { tolerations?: unknown[]; restartPolicy?: string }; status: { phase?: string } };
    // generateName + 5 characters of upstream's alphabet, a uid, defaults, DefaultTolerationSeconds: the real pipeline ran.
    expect(p.metadata.name).toMatch(/^probe-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p.metadata.namespace).toBe('default');
    expect(p.spec.restartPolicy).toBe('Always');
    expect(p.spec.tolerations).toHaveLength(2);
    expect(p.status.phase).toBe('Pending');
    // Never stored, so no resourceVersion.
    expect(p.metadata.resourceVersion).toBeUndefined();
    expect(cluster.revision).toBe(revision);
    expect(cluster.kernel.trace.count).toBe(messages);
    expect(cluster.stateHash()).toBe(hash);
    expect(api.get('Pod', 'default', p.metadata.name!).ok).toBe(false);
  });

  it('fails as the real request would: 422 with causes, 409 AlreadyExists, 404 namespace', () => {
    const { cluster, api } = setup();
    const revision = cluster.revision;
    const bad = api.create({ ...deployment(-1), metadata: { name: 'other', namespace: 'default' } }, { dryRun: true });
    expect(!bad.ok && bad.status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "other" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: { causes: [{ field: 'spec.replicas' }] },
    });
    const dup = api.create(deployment(3), { dryRun: true });
    expect(!dup.ok && dup.status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'deployments.apps "web" already exists' });
    // NamespaceLifecycle (validating admission) runs too.
    const lost = api.create(pod({ name: 'p', namespace: 'nowhere' }), { dryRun: true });
    expect(!lost.ok && lost.status).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
    expect(cluster.revision).toBe(revision);
  });

  it('draws nothing from the seed: the next real create gets the same name and uid as in a cluster that never dry-ran', () => {
    const a = setup();
    const b = setup();
    for (let i = 0; i < 3; i++) a.api.create(pod({ generateName: 'probe-' }), { dryRun: true });
    a.api.create(service(), { dryRun: true });
    const ra = a.api.create(pod({ generateName: 'real-' }));
    const rb = b.api.create(pod({ generateName: 'real-' }));
    expect(ra.ok && rb.ok).toBe(true);
    if (!ra.ok || !rb.ok) return;
    expect(ra.object.metadata.name).toBe(rb.object.metadata.name);
    expect(ra.object.metadata.uid).toBe(rb.object.metadata.uid);
    // Service addresses come from the same seed: the same ClusterIP in both.
    const sa = a.api.create(service());
    const sb = b.api.create(service());
    expect(sa.ok && sb.ok && (sa.object.spec as { clusterIP: string }).clusterIP).toBe(sb.ok && (sb.object.spec as { clusterIP: string }).clusterIP);
  });

  it('claims no Service address, yet refuses one that is taken', () => {
    const { api } = setup();
    // Upstream's dry-run allocator answers with the range's network address instead of searching for a free one.
    const auto = api.create(service(), { dryRun: true });
    expect(auto.ok && auto.object.spec).toMatchObject({ clusterIP: '10.96.0.0', clusterIPs: ['10.96.0.0'] });
    const asked = api.create(service({ clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), { dryRun: true });
    expect(asked.ok).toBe(true);
    // Not kept: the real request may take both.
    const real = api.create(service({ clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    expect(real.ok).toBe(true);
    const again = api.create({ ...service({ clusterIP: '10.96.0.50' }), metadata: { name: 'svc2', namespace: 'default' } }, { dryRun: true });
    expect(!again.ok && again.status.message).toBe(
      'Service "svc2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
  });

  it('with the apiserver stopped answers connection refused and leaves no wire message', () => {
    const { cluster, api } = setup();
    cluster.apiserver.stop();
    const messages = cluster.kernel.trace.count;
    const r = api.create(pod({ name: 'p' }), { dryRun: true });
    expect(!r.ok && r.status).toMatchObject({ code: 503, message: 'The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?' });
    expect(cluster.kernel.trace.count).toBe(messages);
  });
});

describe('dry-run update', () => {
  const stored = (api: ReturnType<typeof setup>['api']) => {
    const r = api.get('Deployment', 'default', 'web');
    if (!r.ok) throw new Error('no deployment');
    return r.object as KubeObject & { spec: { replicas: number } };
  };

  it('answers with the updated object (generation bumped) and the store keeps the old one', () => {
    const { cluster, api } = setup();
    const cur = stored(api);
    const revision = cluster.revision;
    const r = api.update({ ...cur, spec: { ...cur.spec, replicas: 6 } }, { dryRun: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // A spec change counts a generation; the answer keeps the stored resourceVersion since nothing was written.
    expect(r.object.metadata.generation).toBe((cur.metadata.generation ?? 0) + 1);
    expect((r.object.spec as { replicas: number }).replicas).toBe(6);
    expect(r.object.metadata.resourceVersion).toBe(cur.metadata.resourceVersion);
    expect(stored(api).spec.replicas).toBe(3);
    expect(cluster.revision).toBe(revision);
  });

  it('sends no watch event and changes nothing that happens later', () => {
    const a = setup();
    const b = setup();
    const events: WatchEvent[] = [];
    a.api.watch('Deployment', { resourceVersion: String(a.cluster.revision) }, (ev) => void events.push(ev));
    b.api.watch('Deployment', { resourceVersion: String(b.cluster.revision) }, () => undefined);
    a.cluster.runUntil(5_000);
    b.cluster.runUntil(5_000);
    events.length = 0;
    // The same read in both clusters (a get is a wire message too).
    const cur = stored(a.api);
    stored(b.api);
    a.api.update({ ...cur, spec: { ...cur.spec, replicas: 6 } }, { dryRun: true });
    a.api.patch('Deployment', 'default', 'web', { spec: { replicas: 1 } }, { dryRun: true });
    a.api.create(pod({ generateName: 'probe-' }), { dryRun: true });
    expect(a.cluster.stateHash()).toBe(b.cluster.stateHash());
    // 25 s later the controllers and kubelets have done exactly the same things in both.
    a.cluster.runUntil(30_000);
    b.cluster.runUntil(30_000);
    const replicasSeen = events.map((e) => ((e.object as KubeObject).spec as { replicas?: number } | undefined)?.replicas);
    expect(replicasSeen.filter((n) => n !== 3)).toEqual([]);
    expect(a.cluster.stateHash()).toBe(b.cluster.stateHash());
    expect(a.cluster.objects().find((o) => o.kind === 'Deployment')?.spec).toMatchObject({ replicas: 3 });
  });

  it('refuses a stale resourceVersion with 409 Conflict, and a missing object with 404', () => {
    const { cluster, api } = setup();
    const old = stored(api);
    cluster.runUntil(5_000); // the controller has written status since: the resourceVersion moved on
    expect(stored(api).metadata.resourceVersion).not.toBe(old.metadata.resourceVersion);
    const r = api.update({ ...old, spec: { ...old.spec, replicas: 6 } }, { dryRun: true });
    expect(!r.ok && r.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    });
    const gone = api.update({ ...old, metadata: { name: 'nope', namespace: 'default' } }, { dryRun: true });
    expect(!gone.ok && gone.status).toMatchObject({ code: 404, message: 'deployments.apps "nope" not found' });
  });

  it('validates as a real update does', () => {
    const { api } = setup();
    const cur = stored(api);
    const r = api.update({ ...cur, spec: { ...cur.spec, replicas: -1 } }, { dryRun: true });
    expect(!r.ok && r.status.message).toBe('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });
});
