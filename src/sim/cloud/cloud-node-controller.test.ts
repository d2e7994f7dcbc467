import { describe, expect, it } from 'vitest';
import { cloudCalls, cloudCluster, eventsFor, getNode, node, reasons, taintsOf } from './testing';

const UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule';

describe('cloud-node-controller', () => {
  it('initializes a Node its kubelet registers again after someone deleted it: the kubelet registers with the uninitialized taint', () => {
    const c = cloudCluster([node('node-1', 'us-east-1b')]);
    c.runUntil(5_000);
    c.act({ action: 'delete', kind: 'Node', name: 'node-1' });
    // The kubelet's next status sync (every 10 s) finds its Node gone and registers it again (registerWithAPIServer).
    let registered: ReturnType<typeof getNode>;
    for (let t = 5_000; t <= 20_000 && !registered; t += 1) {
      c.runUntil(t);
      registered = getNode(c, 'node-1');
    }
    // Admission's TaintNodesByCondition adds not-ready:NoSchedule to every new Node as well.
    expect(taintsOf(registered)).toEqual([UNINITIALIZED, 'node.kubernetes.io/not-ready:NoSchedule']);
    expect(registered?.spec?.providerID).toBeUndefined();
    // cloud-node-controller sees the new Node at once (its watch) and initializes it.
    c.runUntil(c.now + 100);
    expect(taintsOf(getNode(c, 'node-1'))).not.toContain(UNINITIALIZED);
    expect(getNode(c, 'node-1')?.spec?.providerID).toBe('kubeviz://us-east-1b/node-1');
  });

  it('initializes the starting Nodes once its cache has synced (100 ms): providerID, cloud labels, taint lifted, "Synced"', () => {
    const c = cloudCluster([node('node-1', 'us-east-1b')]);
    // The kubelets registered with --cloud-provider=external: the Node carries the uninitialized taint.
    c.runUntil(99);
    expect(taintsOf(getNode(c, 'node-1'))).toEqual([UNINITIALIZED]);
    expect(getNode(c, 'node-1')?.spec?.providerID).toBeUndefined();
    // WaitForCacheSync's second poll, at 100 ms: one InstanceMetadata call and one Update.
    c.runUntil(100);
    const n = getNode(c, 'node-1')!;
    expect(taintsOf(n)).toEqual([]);
    expect(n.spec?.providerID).toBe('kubeviz://us-east-1b/node-1');
    expect(n.metadata?.labels).toMatchObject({
      'node.kubernetes.io/instance-type': 'kv1-standard-4',
      'beta.kubernetes.io/instance-type': 'kv1-standard-4',
      'topology.kubernetes.io/zone': 'us-east-1b',
      'failure-domain.beta.kubernetes.io/zone': 'us-east-1b',
      'topology.kubernetes.io/region': 'us-east-1',
      'failure-domain.beta.kubernetes.io/region': 'us-east-1',
    });
    // The cloud's addresses are the ones the kubelet reported: no status patch needed.
    expect(n.status?.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.1.1' },
      { type: 'Hostname', address: 'node-1' },
    ]);
    const synced = eventsFor(c, 'Node', 'node-1').find((e) => e.reason === 'Synced')!;
    expect(synced).toMatchObject({ type: 'Normal', message: 'Node synced successfully', source: { component: 'cloud-node-controller' } });
    expect(cloudCalls(c, 'InstanceMetadata')).toEqual([{ t: 100, verb: 'InstanceMetadata', key: 'node-1', ok: true }]);
  });

  it('keeps pods off a Node until it is initialized: the scheduler reports the uninitialized taint', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(1);
    c.act({ action: 'apply', manifests: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'early', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } }] });
    c.runUntil(3_000);
    const events = eventsFor(c, 'Pod', 'early');
    expect(events[0].message).toMatch(/^0\/1 nodes are available: 1 node\(s\) had untolerated taint \{node\.cloudprovider\.kubernetes\.io\/uninitialized: true\}\./);
    expect(events.map((e) => e.reason)).toContain('Scheduled');
  });

  it('initializes a Node added later: it registers tainted, the cloud launches an instance for it, the taint goes 1 ms later', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(10_000);
    c.act({ action: 'apply', manifests: [node('node-2', 'us-east-1c')] });
    expect(taintsOf(getNode(c, 'node-2'))).toContain(UNINITIALIZED);
    expect(c.cloud!.instances.byName('node-2')).toMatchObject({ state: 'running', zone: 'us-east-1c', privateIP: '10.0.1.2' });
    // The watch event reaches the controller after the 1 ms watch delay; it syncs at once.
    c.runUntil(10_001);
    expect(taintsOf(getNode(c, 'node-2'))).not.toContain(UNINITIALIZED);
    expect(getNode(c, 'node-2')?.spec?.providerID).toBe('kubeviz://us-east-1c/node-2');
  });

  it('only reconciles the labels of an initialized Node: the beta key is the source of truth', () => {
    const c = cloudCluster([node('node-1', 'us-east-1a')]);
    c.runUntil(1_000);
    c.apiserver.client('kubectl').patch('Node', undefined, 'node-1', { metadata: { labels: { 'topology.kubernetes.io/zone': 'elsewhere' } } });
    c.runUntil(1_002);
    expect(getNode(c, 'node-1')?.metadata?.labels?.['topology.kubernetes.io/zone']).toBe('us-east-1a');
    // No second initialization: one InstanceMetadata call in all, one Synced.
    expect(cloudCalls(c, 'InstanceMetadata')).toHaveLength(1);
    expect(reasons(eventsFor(c, 'Node', 'node-1')).filter((r) => r === 'Synced')).toHaveLength(1);
  });

  it('refreshes the addresses of initialized Nodes from the cloud every --node-status-update-frequency (5 min)', () => {
    const c = cloudCluster([node('node-1')]);
    c.runUntil(600_100);
    // UpdateNodeStatus at 100 ms (the node still tainted: skipped), 300.1 s and 600.1 s; plus the initialization.
    expect(cloudCalls(c, 'InstanceMetadata').map((m) => m.t)).toEqual([100, 300_100, 600_100]);
  });

  it('does not exist without spec.cloud: no taint, no providerID, no cloud-controller-manager', () => {
    const c = cloudCluster([node('node-1')], { cloud: null });
    c.runUntil(1_000);
    expect(c.cloud).toBeUndefined();
    expect(taintsOf(getNode(c, 'node-1'))).toEqual([]);
    expect(getNode(c, 'node-1')?.spec?.providerID).toBeUndefined();
    expect(c.components().map((x) => x.name)).not.toContain('cloud-controller-manager');
  });
});
