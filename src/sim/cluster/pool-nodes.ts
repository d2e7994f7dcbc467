// The nodes of a node pool (NodePool: `count` copies of a Node template,
// spread over zones). The first node of each zone goes through the create
// pipeline as its kubelet registered it (registeredNode, defaulting,
// admission, validation, then the registration taint lifted); the others
// are stamped from it, as they differ only in their name (which the
// hostname label and the Hostname address repeat), uid and InternalIP. A
// pool's names share one length and one alphabet (the index is
// zero-padded), so when one of them is valid, all are.
import type { KubeObject, Node } from '../api/types';
import type { ApiServer } from '../apiserver/apiserver';
import { isFailure, type Failure } from '../apiserver/status';
import type { NodePool } from '../model';
import { nodeIp, registeredNode, settledNode } from './node-defaults';
import type { Prepared } from './starting-objects';

const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

export function poolNodeName(pool: NodePool, i: number): string {
  return `${pool.name}-${String(i + 1).padStart(String(pool.count).length, '0')}`;
}

export class PoolNodes {
  /** The prepared first node of each zone. */
  private readonly prototypes = new Map<string | undefined, Prepared>();
  /** registeredNode derives these from the name unless the template sets them. */
  private readonly ownHostname: boolean;
  private readonly ownAddresses: boolean;

  constructor(
    private readonly api: ApiServer,
    private readonly pool: NodePool,
  ) {
    this.ownHostname = !(pool.template.metadata?.labels && HOSTNAME_LABEL in pool.template.metadata.labels);
    this.ownAddresses = pool.template.status?.addresses == null;
  }

  /** The pool's node i, the cluster's node `index`, as its kubelet registered it and the node lifecycle controller found it Ready. */
  node(i: number, index: number): Prepared | Failure {
    const name = poolNodeName(this.pool, i);
    const zones = this.pool.zones;
    const zone = zones?.length ? zones[i % zones.length] : undefined;
    const proto = this.prototypes.get(zone);
    if (proto) return { info: proto.info, obj: this.stamp(proto.obj as Node, name, index) as KubeObject };
    const t = this.pool.template;
    const labels = { ...(t.metadata?.labels ?? {}), ...(zone ? { [ZONE_LABEL]: zone } : {}) };
    const p = this.api.prepareNew(registeredNode({ ...t, apiVersion: 'v1', kind: 'Node', metadata: { ...t.metadata, name, labels } }, index, 0) as KubeObject, false);
    if (isFailure(p)) return p;
    const prepared = { info: p.info, obj: settledNode(p.obj as Node) as KubeObject };
    this.prototypes.set(zone, prepared);
    return prepared;
  }

  /** The prototype with this node's name, uid and addresses, in their places. */
  private stamp(proto: Node, name: string, index: number): Node {
    const m = proto.metadata!;
    const labels = this.ownHostname ? { ...m.labels, [HOSTNAME_LABEL]: name } : m.labels;
    const metadata = { ...m, name, uid: this.api.newUid(), labels };
    if (!this.ownAddresses) return { ...proto, metadata };
    const addresses = [
      { type: 'InternalIP', address: nodeIp(index) },
      { type: 'Hostname', address: name },
    ];
    return { ...proto, metadata, status: { ...proto.status, addresses } };
  }
}
