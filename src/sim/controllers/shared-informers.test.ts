import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { byNodeName, SharedInformers } from './shared-informers';

const pod = (name: string, nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] },
});
const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });

describe('SharedInformers', () => {
  it('lists and watches one kind for several handlers, with an index kept current', () => {
    const cluster = createCluster({ ...emptyScenario(), objects: [node('n1'), node('n2'), pod('a', 'n1')] });
    // Only this test's writes: no scheduler, no kubelets posting pod status.
    cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
    for (const n of ['n1', 'n2']) cluster.act({ action: 'stopKubelet', node: n });
    const client = cluster.apiserver.client('test');
    const informers = new SharedInformers(cluster.kernel, client);
    const pods = informers.for('Pod');
    pods.addIndex('node', byNodeName);
    const one: string[] = [];
    const two: string[] = [];
    pods.on({ add: (o) => one.push(`+${o.metadata.name}`), delete: (o) => one.push(`-${o.metadata.name}`) });
    pods.on({ update: (o) => two.push(`~${o.metadata.name}`) });
    informers.start();
    cluster.runUntil(cluster.now + 10);
    expect(one).toEqual(['+a']);
    expect(pods.byIndex('node', 'n1').map((o) => o.metadata.name)).toEqual(['a']);

    client.create(pod('b'));
    cluster.runUntil(cluster.now + 10);
    client.bind('default', 'b', 'n2');
    client.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 });
    cluster.runUntil(cluster.now + 10);
    expect(one).toEqual(['+a', '+b', '-a']);
    expect(two).toEqual(['~b']);
    expect(pods.byIndex('node', 'n1')).toEqual([]);
    expect(pods.byIndex('node', 'n2').map((o) => o.metadata.name)).toEqual(['b']);
    expect(pods.get('default/b')?.spec).toMatchObject({ nodeName: 'n2' });
    informers.stop();
  });

  it('keeps a tally in step with the store: fed what is there, told of each change before the handlers', () => {
    const cluster = createCluster({ ...emptyScenario(), objects: [node('n1'), pod('a', 'n1')] });
    cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
    cluster.act({ action: 'stopKubelet', node: 'n1' });
    const client = cluster.apiserver.client('test');
    const informers = new SharedInformers(cluster.kernel, client);
    const pods = informers.for('Pod');
    const seen: string[] = [];
    let count = 0;
    const tally = { add: () => count++, update: () => {}, delete: () => count-- };
    pods.on({ add: (o) => seen.push(`+${o.metadata.name}:${count}`), delete: (o) => seen.push(`-${o.metadata.name}:${count}`) });
    informers.start();
    cluster.runUntil(cluster.now + 10);
    // Made after the first list: the pod already there is counted once, and the same tally is shared by name.
    expect(pods.tally('count', () => tally)).toBe(tally);
    expect(pods.tally('count', () => ({ add() {}, update() {}, delete() {} }))).toBe(tally);
    expect(count).toBe(1);
    client.create(pod('b'));
    cluster.runUntil(cluster.now + 10);
    client.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 });
    cluster.runUntil(cluster.now + 10);
    expect(seen).toEqual(['+a:0', '+b:2', '-a:1']);
    informers.stop();
  });
});
