// The level-of-detail view's edges: the control plane's own, one for all the kubelets.
import { describe, expect, it } from 'vitest';
import { architectureLayout, workerId } from './layout';
import { HEAT_MAP_EDGE_ID, heatMapEdges } from './lod-edges';
import { kubeletCurves } from './message-flight';

const ETCD = ['etcd-1', 'etcd-2', 'etcd-3'];
const shape = [1, 2, 3].map((i) => ({ name: `control-plane-${i}`, etcd: [`etcd-${i}`], apiserver: `kube-apiserver-${i}`, scheduler: `kube-scheduler-${i}`, controllerManager: `kube-controller-manager-${i}` }));
const nodes = Array.from({ length: 60 }, (_, i) => `node-${i + 1}`);

describe('heat map edges', () => {
  it('one control plane: the kubelets join kube-apiserver, as before', () => {
    const edges = heatMapEdges(ETCD, 60);
    expect(edges.find((e) => e.id === HEAT_MAP_EDGE_ID)).toMatchObject({ source: 'heat-map', target: 'kube-apiserver', targetHandle: 'kubelets', label: '60 kubelets' });
    // 2 components + 3 apiserver-etcd + 3 raft pairs + the heat map's.
    expect(edges).toHaveLength(9);
  });

  it("highly available: the kubelets' one edge goes to the load balancer, the control plane's edges are the frames'", () => {
    const edges = heatMapEdges(ETCD, 60, { controlPlane: shape });
    expect(edges.find((e) => e.id === HEAT_MAP_EDGE_ID)).toMatchObject({ target: 'load-balancer', targetHandle: 'kubelets' });
    // 3 x 3 apiserver-etcd, 3 load balancer-apiserver, 3 raft pairs, 6 clients to the load balancer, the heat map's.
    expect(edges).toHaveLength(9 + 3 + 3 + 6 + 1);
    expect(edges.filter((e) => e.target === 'kube-apiserver')).toHaveLength(0);
  });

  it("each kubelet's messages fly from its tile to the load balancer's bottom", () => {
    const l = architectureLayout({ etcd: ETCD, workers: nodes, controlPlane: shape });
    const curves = kubeletCurves(nodes, l.boxes, 'load-balancer');
    const lb = l.boxes.get('load-balancer')!;
    const c = curves.get('kubelet:node-7->load-balancer')!;
    const tile = l.boxes.get(workerId('node-7'))!;
    expect(c.p0).toEqual({ x: tile.x + tile.width / 2, y: tile.y });
    expect(c.p3).toEqual({ x: lb.x + lb.width / 2, y: lb.y + lb.height });
    expect(curves.size).toBe(60);
  });
});
