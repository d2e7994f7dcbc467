import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod, ReplicaSet } from '../api/types';
import { createCluster } from '../cluster';
import { Rng } from '../kernel/rng';
import { timestamp } from '../kernel/time';
import { emptyScenario } from '../model';
import { controllerRefOf, isPodActive, selectorMatcher } from './controller-utils';
import { FakeKubelet, stored } from './controller-utils-testing';
import { REPLICASET_CONTROLLER, type ReplicaSetController } from './replicaset';
import { countReplicas, type ReplicaCounts } from './replicaset-status';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } } });

const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 5,
    minReadySeconds: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  },
};

/** The ReplicaSet controller's view: whether its claim would write nothing, and the counts it takes from its tally. */
interface SyncView {
  claimsNothing(rs: ReplicaSet, matches: (l?: Record<string, string>) => boolean): boolean;
  tallied(rs: ReplicaSet, now: number): ReplicaCounts;
}

describe('replicaset-controller: counts from the tally', () => {
  for (const seed of [11, 12, 13]) {
    it(`equal the counts of the pods a claim would return, through random pod events (seed ${seed})`, () => {
      const cluster = createCluster({ ...emptyScenario(), objects: [node('n1'), node('n2'), node('n3'), replicaSet] });
      const rng = new Rng(seed);
      new FakeKubelet(cluster, { readyAfterMs: 1500, neverReady: (p) => p.metadata!.name!.endsWith('x'), terminationDelayMs: 2000 });
      const client = cluster.apiserver.client('test');
      const ctrl = cluster.controllerManager.controller<ReplicaSetController>(REPLICASET_CONTROLLER)! as unknown as SyncView;
      const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[rng.int(xs.length)] : undefined);
      let orphans = 0;
      let checked = 0;
      for (let step = 0; step < 150; step++) {
        const pods = stored<Pod>(cluster, 'pods').filter((p) => !p.metadata?.deletionTimestamp);
        const p = pick(pods);
        const name = p?.metadata?.name ?? '';
        switch (rng.int(7)) {
          case 0:
            // Out of the selector (released), back in (adopted), or missing the template's other label.
            if (p) client.patch('Pod', 'default', name, { metadata: { labels: pick([{ app: 'other' }, { app: 'web' }, { tier: null }, { tier: 'fe' }]) } });
            break;
          case 1:
            if (p) client.delete('Pod', 'default', name);
            break;
          case 2:
            client.create({
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: { name: `stray-${orphans++}${rng.int(2) ? 'x' : ''}`, namespace: 'default', labels: { app: 'web' } },
              spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx:1.27' }] },
            });
            break;
          case 3:
            // Ready goes False (a failing probe) or True again.
            if (p?.status?.conditions) {
              const status = rng.int(2) ? 'True' : 'False';
              const at = timestamp(cluster.now);
              client.updateStatus({ ...(p as KubeObject), status: { ...p.status, conditions: p.status.conditions.map((c) => (c.type === 'Ready' ? { ...c, status, lastTransitionTime: at } : c)) } });
            }
            break;
          case 4:
            client.patch('ReplicaSet', 'default', 'web', { spec: { replicas: 3 + rng.int(6) } });
            break;
          default:
            break;
        }
        cluster.runUntil(cluster.now + 200 + rng.int(2000));
        const rs = stored<ReplicaSet>(cluster, 'replicasets')[0];
        const matches = selectorMatcher(rs.spec?.selector)!;
        if (!ctrl.claimsNothing(rs, matches)) continue;
        // What claimPods returns when it writes nothing: the active pods it controls, all matching.
        const claimed = stored<Pod>(cluster, 'pods').filter((q) => controllerRefOf(q)?.uid === rs.metadata!.uid && isPodActive(q));
        expect(claimed.every((q) => matches(q.metadata?.labels))).toBe(true);
        expect(ctrl.tallied(rs, cluster.now)).toEqual(countReplicas(rs, claimed, cluster.now));
        checked++;
      }
      // Most steps end with nothing to claim: the check ran, and not vacuously.
      expect(checked).toBeGreaterThan(50);
    });
  }
});
