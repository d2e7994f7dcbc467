import { describe, expect, it } from 'vitest';
import type { KubeObject, Node, Pod } from '../api/types';
import { ApiServer } from '../apiserver/apiserver';
import { isFailure } from '../apiserver/status';
import { DEFAULT_ETCD, EtcdCluster } from '../etcd/etcd-cluster';
import { Kernel } from '../kernel/kernel';
import { ImageCatalog } from '../node/image-catalog';
import { registeredNode } from './node-defaults';
import { NodeSlot, PodStamper, type StampOptions } from './settled-pods';

const kernel = new Kernel(1);
const api = new ApiServer(kernel, new EtcdCluster(kernel, { ...DEFAULT_ETCD, members: 1 }));

function prototype(spec: object = {}): Pod {
  const p = api.prepareNew(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-probe', namespace: 'default', generateName: 'web-', labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }], nodeName: 'w-1', ...spec },
    } as KubeObject,
    false,
  );
  if (isFailure(p)) throw new Error(p.message);
  return p.obj as Pod;
}

const node = (name: string, index: number) => registeredNode({ apiVersion: 'v1', kind: 'Node', metadata: { name } } as Node, index, 0);
const options = (o: Partial<StampOptions> = {}): StampOptions => ({ catalog: new ImageCatalog(), podCIDRsKnown: true, ...o });

describe('pods stamped from one prototype', () => {
  it("hands out the node's pod CIDR addresses in order from .2, each pod Running with its own container ids", () => {
    const stamper = new PodStamper(prototype(), options(), 0);
    const slot = new NodeSlot(node('w-4', 3), 3);
    const a = stamper.stamp('web-aaaaa', 'uid-a', slot);
    const b = stamper.stamp('web-bbbbb', 'uid-b', slot);
    expect([a.status!.podIP, b.status!.podIP]).toEqual(['10.244.3.2', '10.244.3.3']);
    expect([a.status!.hostIP, a.status!.phase, a.spec!.nodeName]).toEqual(['10.0.1.4', 'Running', 'w-4']);
    expect(a.status!.containerStatuses![0].containerID).not.toBe(b.status!.containerStatuses![0].containerID);
    expect(b.metadata).toMatchObject({ name: 'web-bbbbb', uid: 'uid-b', resourceVersion: '' });
  });

  it("shares one spec between the prototype's pods on a node (only nodeName differs between nodes)", () => {
    const stamper = new PodStamper(prototype(), options(), 0);
    const [n1, n2] = [new NodeSlot(node('w-1', 0), 0), new NodeSlot(node('w-2', 1), 1)];
    const [a, b, c] = [stamper.stamp('web-aaaaa', 'uid-a', n1), stamper.stamp('web-bbbbb', 'uid-b', n2), stamper.stamp('web-ccccc', 'uid-c', n1)];
    expect(c.spec).toBe(a.spec);
    expect(b.spec).not.toBe(a.spec);
    expect([a.spec!.nodeName, b.spec!.nodeName]).toEqual(['w-1', 'w-2']);
    expect(b.spec!.containers).toBe(a.spec!.containers);
    const other = new PodStamper(prototype({ hostNetwork: true }), options(), 1).stamp('web-ddddd', 'uid-d', n1);
    expect(other.spec).not.toBe(a.spec);
    expect(other.spec!.hostNetwork).toBe(true);
    expect(stamper.stamp('web-eeeee', 'uid-e', n1).spec).toBe(a.spec);
  });

  it('gives a copy the same status, field for field, as working it out in full for that pod', () => {
    const warm = new PodStamper(prototype(), options(), 0);
    warm.stamp('web-aaaaa', 'uid-a', new NodeSlot(node('w-1', 0), 0));
    const copied = warm.stamp('web-bbbbb', 'uid-b', new NodeSlot(node('w-2', 1), 1));
    const full = new PodStamper(prototype(), options(), 0).stamp('web-bbbbb', 'uid-b', new NodeSlot(node('w-2', 1), 1));
    expect(JSON.stringify(copied)).toBe(JSON.stringify(full));
  });

  it("puts host-network pods on the node's address without using one of the pod CIDR", () => {
    const stamper = new PodStamper(prototype({ hostNetwork: true }), options(), 0);
    const slot = new NodeSlot(node('w-1', 0), 0);
    const a = stamper.stamp('web-aaaaa', 'uid-a', slot);
    const b = stamper.stamp('web-bbbbb', 'uid-b', slot);
    expect([a.status!.podIP, b.status!.podIP]).toEqual(['10.0.1.1', '10.0.1.1']);
    expect(b.status!.podIPs).toBe(slot.hostIPs);
    expect(slot.nextHost).toBe(2);
  });

  it('leaves a pod bound but not running when its /24 is full, or on a cloud, or when its image is not in the registry', () => {
    const stamper = new PodStamper(prototype(), options(), 0);
    const slot = new NodeSlot(node('w-1', 0), 0);
    slot.nextHost = 254;
    expect(stamper.stamp('web-aaaaa', 'uid-a', slot).status!.podIP).toBe('10.244.0.254');
    const full = stamper.stamp('web-bbbbb', 'uid-b', slot);
    expect(full.status!.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['PodScheduled=True']);
    expect(full.status!.podIP).toBeUndefined();
    const cloud = new PodStamper(prototype(), options({ podCIDRsKnown: false }), 0).stamp('web-ccccc', 'uid-c', new NodeSlot(node('w-2', 1), 1));
    expect(cloud.status!.containerStatuses).toBeUndefined();
    const missing = new PodStamper(prototype(), options({ catalog: new ImageCatalog({ missing: ['nginx:1.27'] }) }), 0);
    expect(missing.stamp('web-ddddd', 'uid-d', new NodeSlot(node('w-3', 2), 2)).status!.phase).not.toBe('Running');
  });

  it("pins a DaemonSet's pod to its node through the affinity it is given", () => {
    const stamper = new PodStamper(prototype(), options({ affinityFor: (n) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [n] }] }] } } }) }), 0);
    const pod = stamper.stamp('agent-aaaaa', 'uid-a', new NodeSlot(node('w-7', 6), 6));
    expect(pod.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0].matchFields![0].values).toEqual(['w-7']);
  });
});
