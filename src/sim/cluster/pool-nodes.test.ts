import { describe, expect, it } from 'vitest';
import type { Node } from '../api/types';
import { ApiServer } from '../apiserver/apiserver';
import { isFailure } from '../apiserver/status';
import { DEFAULT_ETCD, EtcdCluster } from '../etcd/etcd-cluster';
import { Kernel } from '../kernel/kernel';
import type { NodePool } from '../model';
import { PoolNodes } from './pool-nodes';

const apiserver = () => {
  const kernel = new Kernel(3);
  return new ApiServer(kernel, new EtcdCluster(kernel, { ...DEFAULT_ETCD, members: 1 }));
};

/** The pool's nodes as PoolNodes stamps them, and each as the pipeline alone makes it (a fresh PoolNodes has no prototype yet). */
function bothWays(pool: NodePool): { stamped: string[]; full: string[] } {
  const a = apiserver();
  const b = apiserver();
  const nodes = new PoolNodes(a, pool);
  const stamped: string[] = [];
  const full: string[] = [];
  for (let i = 0; i < pool.count; i++) {
    const s = nodes.node(i, 10 + i);
    const f = new PoolNodes(b, pool).node(i, 10 + i);
    if (isFailure(s) || isFailure(f)) throw new Error('not prepared');
    stamped.push(JSON.stringify(s.obj));
    full.push(JSON.stringify(f.obj));
  }
  return { stamped, full };
}

const template = (extra: Partial<Node> = {}, labels: Record<string, string> = { 'node.kubernetes.io/instance-type': 'm5.xlarge' }): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { labels },
  status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } },
  ...extra,
});

describe('the nodes of a pool', () => {
  it('are the same, field for field, stamped from the first node of their zone as through the pipeline one by one', () => {
    const { stamped, full } = bothWays({ name: 'w', count: 7, zones: ['a', 'b', 'c'], template: template() });
    expect(stamped).toEqual(full);
    const n5 = JSON.parse(stamped[4]) as Node;
    expect(n5.metadata!.name).toBe('w-5');
    expect(n5.metadata!.labels).toMatchObject({ 'kubernetes.io/hostname': 'w-5', 'topology.kubernetes.io/zone': 'b' });
    expect(n5.status!.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.1.15' },
      { type: 'Hostname', address: 'w-5' },
    ]);
    expect(n5.spec?.taints ?? []).toEqual([]);
  });

  it("keep a hostname label and addresses the template sets, and stamp without zones", () => {
    const pool: NodePool = {
      name: 'edge',
      count: 12,
      template: template({ status: { capacity: { cpu: '2' }, addresses: [{ type: 'InternalIP', address: '192.0.2.1' }] }, spec: { taints: [{ key: 'edge', effect: 'NoSchedule' }] } }, { 'kubernetes.io/hostname': 'shared' }),
    };
    const { stamped, full } = bothWays(pool);
    expect(stamped).toEqual(full);
    const last = JSON.parse(stamped[11]) as Node;
    expect([last.metadata!.name, last.metadata!.labels!['kubernetes.io/hostname'], last.status!.addresses]).toEqual(['edge-12', 'shared', [{ type: 'InternalIP', address: '192.0.2.1' }]]);
    expect(last.spec!.taints).toEqual([{ key: 'edge', effect: 'NoSchedule' }]);
  });

  it('report the template when its first node does not pass validation', () => {
    const p = new PoolNodes(apiserver(), { name: 'Bad_Name', count: 2, template: template() }).node(0, 0);
    expect(isFailure(p) && p.message).toContain('Bad_Name-1');
  });
});
