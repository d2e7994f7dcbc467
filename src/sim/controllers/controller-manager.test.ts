// Stopping kube-controller-manager stops the healing: a dead node is never
// marked, nothing is replaced. Starting it again (a fresh process that
// relists everything once it holds its Lease) picks the work up where the
// cluster stands.
import { describe, expect, it } from 'vitest';
import type { Deployment, KubeObject, Node, Pod } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } });
const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
};

describe('kube-controller-manager', () => {
  it('heals nothing while stopped, and catches up once started', () => {
    const cluster = createCluster({ ...emptyScenario(), objects: [node('n1'), node('n2'), web] });
    cluster.runUntil(20_000);
    const get = () => cluster.objects();
    const ready = (n: string) => (get().find((o) => o.kind === 'Node' && o.metadata.name === n) as unknown as Node).status?.conditions?.find((c) => c.type === 'Ready')?.status;
    expect(cluster.components().find((c) => c.name === 'kube-controller-manager')?.state).toBe('running');

    cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
    expect(cluster.components().find((c) => c.name === 'kube-controller-manager')?.state).toBe('stopped');
    // Deleting a pod: no ReplicaSet controller makes another one.
    const victim = get().find((o) => o.kind === 'Pod') as unknown as Pod;
    cluster.act({ action: 'delete', kind: 'Pod', namespace: 'default', name: victim.metadata!.name! });
    cluster.act({ action: 'powerOff', node: 'n2' });
    cluster.runUntil(200_000);
    // n2's heartbeats stopped 180 s ago, but no node lifecycle controller said so.
    expect(ready('n2')).toBe('True');
    const pods = () => get().filter((o) => o.kind === 'Pod' && !o.metadata.deletionTimestamp) as unknown as Pod[];
    expect(pods()).toHaveLength(1);

    cluster.act({ action: 'startComponent', component: 'kube-controller-manager' });
    // A new process, a standby at first: the Lease still names its predecessor, which did not give it up
    // (kube-controller-manager does not release on stop). It leads once the record has gone 15 s unchanged
    // in its own eyes, from its first read at 200 s: at its first retry at or after 215 s (retries 2 to 4.4 s apart).
    expect(cluster.components().find((c) => c.name === 'kube-controller-manager')).toMatchObject({ state: 'standby', leader: false });
    cluster.runUntil(214_999);
    expect(pods()).toHaveLength(1);
    cluster.runUntil(219_400);
    expect(cluster.components().find((c) => c.name === 'kube-controller-manager')).toMatchObject({ state: 'running', leader: true });
    // The ReplicaSet controller sees one pod of two and makes the second at once.
    cluster.runUntil(220_000);
    expect(pods()).toHaveLength(2);
    // The node lifecycle controller counts the grace period from when it first sees each node (40 s, 5 s passes).
    cluster.runUntil(270_000);
    expect(ready('n2')).toBe('Unknown');
    const d = get().find((o) => o.kind === 'Deployment') as unknown as Deployment;
    expect(d.status?.replicas).toBe(2);
  });
});
