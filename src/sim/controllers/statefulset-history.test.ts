import { describe, expect, it } from 'vitest';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import type { KubeObject } from '../api/types';
import { utf8 } from './controller-utils-hash';
import { applyRevision, equalRevision, fnv32, newRevision, nextRevision, sortRevisions } from './statefulset-history';

// Upstream: pkg/controller/history/controller_history.go and the revision
// helpers of pkg/controller/statefulset/stateful_set_utils.go.

const set = (image: string): StatefulSet => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web', annotations: { team: 'a' } },
  spec: { serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
});

describe('ControllerRevisions', () => {
  it('hash with FNV-1, Go\'s fnv.New32 (not FNV-1a)', () => {
    // Published FNV-1 32-bit test vectors: "" = 0x811c9dc5, "a" = 0x050c5d7e, "foobar" = 0x31f0b262.
    expect(fnv32(utf8(''))).toBe(0x811c9dc5);
    expect(fnv32(utf8('a'))).toBe(0x050c5d7e);
    expect(fnv32(utf8('foobar'))).toBe(0x31f0b262);
  });

  it("store the template as a replace patch, named <set>-<hash>, labelled with the hash, owned by the set", () => {
    const r = newRevision(set('nginx:1.27'), 1, 0);
    expect(r.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(r.metadata!.labels).toEqual({ app: 'web', 'controller.kubernetes.io/hash': r.metadata!.name!.slice(4) });
    expect(r.metadata!.annotations).toEqual({ team: 'a' });
    expect(r.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
    expect((r.data as { spec: { template: { $patch: string } } }).spec.template.$patch).toBe('replace');
    // The same template gives the same revision; another template another one.
    expect(equalRevision(r, newRevision(set('nginx:1.27'), 2, 0))).toBe(true);
    expect(equalRevision(r, newRevision(set('nginx:1.28'), 2, 0))).toBe(false);
    // A collision count changes the name.
    expect(newRevision(set('nginx:1.27'), 1, 1).metadata!.name).not.toBe(r.metadata!.name);
  });

  it('restore the template a revision recorded onto the set', () => {
    const old = newRevision(set('nginx:1.27'), 1, 0);
    const restored = applyRevision(set('nginx:1.28'), old);
    expect(restored.spec!.template.spec!.containers[0].image).toBe('nginx:1.27');
    expect(restored.spec!.template).not.toHaveProperty('$patch');
  });

  it('sort by revision number, and number the next one after the highest', () => {
    const r = (n: number, name: string): ControllerRevision => ({ ...newRevision(set('x'), n, 0), metadata: { name } });
    const sorted = sortRevisions([r(3, 'c'), r(1, 'a'), r(2, 'b')]);
    expect(sorted.map((x) => x.metadata!.name)).toEqual(['a', 'b', 'c']);
    expect(nextRevision(sorted)).toBe(4);
    expect(nextRevision([])).toBe(1);
  });
});

describe('statefulset-controller determinism', () => {
  it('gives the same state twice for the same scenario', () => {
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'a' } } },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2', labels: { 'topology.kubernetes.io/zone': 'b' } } },
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'wait' }, provisioner: 'disk.csi.example.com', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject,
      {
        ...(set('nginx:1.27') as KubeObject),
        spec: { ...set('nginx:1.27').spec!, replicas: 2, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'wait', resources: { requests: { storage: '1Gi' } } } }] },
      },
    ];
    const hash = () => {
      const c = createCluster({ ...emptyScenario(), seed: 5, objects });
      c.runUntil(40_000);
      return c.stateHash();
    };
    expect(hash()).toBe(hash());
  });
});
