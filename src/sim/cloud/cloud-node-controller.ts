// cloud-controller-manager's cloud-node-controller, after upstream
// staging/src/k8s.io/cloud-provider/controllers/node/node_controller.go
// (v1.30-1.34). It initializes the Nodes that registered with the
// node.cloudprovider.kubernetes.io/uninitialized taint: from the cloud's
// InstanceMetadata it sets spec.providerID (when the Node has none), the
// instance-type, zone and region labels (beta and GA keys alike), lifts the
// taint in one Update, patches the cloud's addresses into status and
// records "Synced" / "Node synced successfully". A Node without the taint
// was initialized already: it only gets its beta and GA labels reconciled.
// Every --node-status-update-frequency (5 min) it refreshes the addresses
// of the initialized Nodes from the cloud.
import type { Node, NodeAddress } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Controller } from '../controllers/controller';
import type { SharedInformer } from '../controllers/shared-informers';
import { WorkQueue, type SyncResult } from '../controllers/work-queue';
import type { Timer } from '../kernel/kernel';
import { CACHE_SYNC_POLL_MS, type CloudControllerContext } from './cloud-controller';
import { hasCloudTaint, withoutCloudTaint } from './cloud-taints';
import {
  LABEL_INSTANCE_TYPE,
  LABEL_INSTANCE_TYPE_BETA,
  LABEL_REGION,
  LABEL_REGION_BETA,
  LABEL_ZONE,
  LABEL_ZONE_BETA,
  type InstanceMetadata,
} from './instances';

export const CLOUD_NODE_CONTROLLER = 'cloud-node-controller';

/** UpdateNodeSpecBackoff's 20 steps: the initializing Update is retried on 409 Conflict that often. */
const UPDATE_NODE_SPEC_STEPS = 20;

/** labelReconcileInfo: the beta key is the source of truth, and the GA key is added when missing. */
const LABEL_RECONCILE: ReadonlyArray<readonly [primary: string, secondary: string]> = [
  [LABEL_ZONE_BETA, LABEL_ZONE],
  [LABEL_REGION_BETA, LABEL_REGION],
  [LABEL_INSTANCE_TYPE_BETA, LABEL_INSTANCE_TYPE],
];

const nameOf = (o: { metadata?: { name?: string } }) => o.metadata!.name!;

export class CloudNodeController implements Controller {
  readonly name = CLOUD_NODE_CONTROLLER;
  private readonly nodes: SharedInformer;
  private readonly recorder: EventRecorder;
  private readonly queue: WorkQueue;
  /** Keys that arrived before the caches synced: the workers take them first. */
  private readonly early = new Set<string>();
  private synced = false;
  private timer?: Timer;

  constructor(private readonly ctx: CloudControllerContext) {
    this.recorder = ctx.recorder(CLOUD_NODE_CONTROLLER);
    this.nodes = ctx.informers.for('Node');
    this.queue = new WorkQueue(ctx.kernel, CLOUD_NODE_CONTROLLER, (name) => this.syncNode(name));
    // Nodes that exist before the controller starts show up as adds; every update is looked at too.
    this.nodes.on({ add: (n) => this.enqueue(nameOf(n)), update: (n) => this.enqueue(nameOf(n)) });
    this.timer = ctx.kernel.after(CACHE_SYNC_POLL_MS, `${CLOUD_NODE_CONTROLLER}.start`, () => this.run());
  }

  stop(): void {
    this.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
    this.queue.shutDown();
  }

  private enqueue(name: string): void {
    if (this.synced) this.queue.add(name);
    else this.early.add(name);
  }

  /** Caches synced: the status loop (at once, then every period) and the workers start. */
  private run(): void {
    this.synced = true;
    this.statusLoop();
    for (const name of this.early) this.queue.add(name);
    this.early.clear();
  }

  private statusLoop(): void {
    this.updateNodeStatus();
    this.timer = this.ctx.kernel.after(this.ctx.options.nodeStatusUpdateFrequency, `${CLOUD_NODE_CONTROLLER}.status`, () => this.statusLoop());
  }

  /** UpdateNodeStatus: the cloud's addresses for every initialized Node (tainted ones are syncNode's). */
  private updateNodeStatus(): void {
    for (const n of this.nodes.list() as Node[]) {
      if (hasCloudTaint(n)) continue;
      const md = this.ctx.cloud.instanceMetadata(n);
      if (md.ok) this.updateNodeAddress(n, md.value);
    }
  }

  /** syncNode: initialize a tainted Node, or reconcile an initialized one's labels. */
  private syncNode(name: string): SyncResult {
    const cur = this.nodes.get(name) as Node | undefined;
    if (!cur) return 'done';
    if (!hasCloudTaint(cur)) return this.reconcileNodeLabels(cur) ? 'done' : 'retry';
    const md = this.ctx.cloud.instanceMetadata(cur);
    // "failed to get instance metadata for node NAME": requeued with backoff, the taint stays.
    if (!md.ok) return 'retry';
    const modify = nodeModifiers(cur, md.value);
    let node = cur;
    for (let step = 0; step < UPDATE_NODE_SPEC_STEPS; step++) {
      const r = this.ctx.client.update(modify(node) as unknown as KubeObject);
      if (r.ok) {
        // Right after the Update, the cloud's addresses, so users see no delay in them.
        this.updateNodeAddress(r.object as Node, md.value);
        this.recorder.event(cur as unknown as KubeObject, 'Normal', 'Synced', 'Node synced successfully');
        return 'done';
      }
      if (r.status.code !== 409) return 'retry';
      // Upstream rereads its lister between tries; here the apiserver answers with the fresh copy at once.
      const fresh = this.ctx.client.get('Node', undefined, name);
      if (!fresh.ok) return 'retry';
      node = fresh.object as Node;
      if (!hasCloudTaint(node)) return 'done';
    }
    return 'retry';
  }

  /** updateNodeAddress: patch status.addresses when the cloud's differ (the Node's Hostname kept when the cloud gives none). */
  private updateNodeAddress(node: Node, md: InstanceMetadata): void {
    if (hasCloudTaint(node)) return;
    let addresses: NodeAddress[] = md.nodeAddresses.map((a) => ({ ...a }));
    if (addresses.length === 0) return;
    if (!addresses.some((a) => a.type === 'Hostname')) addresses = [...addresses, ...(node.status?.addresses ?? []).filter((a) => a.type === 'Hostname')];
    if (!addressesChanged(node.status?.addresses ?? [], addresses)) return;
    this.ctx.client.patch('Node', undefined, nameOf(node), { status: { addresses } }, { subresource: 'status' });
  }

  /** reconcileNodeLabels: the GA keys follow the beta ones. False when the patch failed. */
  private reconcileNodeLabels(node: Node): boolean {
    const labels = node.metadata?.labels;
    if (!labels) return true;
    const update: Record<string, string> = {};
    for (const [primary, secondary] of LABEL_RECONCILE) {
      if (!(primary in labels)) continue;
      if (labels[secondary] !== labels[primary]) update[secondary] = labels[primary];
    }
    if (Object.keys(update).length === 0) return true;
    return this.ctx.client.patch('Node', undefined, nameOf(node), { metadata: { labels: update } }).ok;
  }
}

/** getNodeModifiersFromCloudProvider, plus lifting the taint: applied to whichever copy of the Node the Update sends. */
function nodeModifiers(cur: Node, md: InstanceMetadata): (n: Node) => Node {
  const labels: Record<string, string> = {};
  if (md.instanceType) Object.assign(labels, { [LABEL_INSTANCE_TYPE]: md.instanceType, [LABEL_INSTANCE_TYPE_BETA]: md.instanceType });
  if (md.zone) Object.assign(labels, { [LABEL_ZONE_BETA]: md.zone, [LABEL_ZONE]: md.zone });
  if (md.region) Object.assign(labels, { [LABEL_REGION_BETA]: md.region, [LABEL_REGION]: md.region });
  const setProviderID = !cur.spec?.providerID && md.providerID !== '';
  return (n) => {
    const spec = { ...(n.spec ?? {}), ...(setProviderID ? { providerID: md.providerID } : {}) };
    const taints = withoutCloudTaint(n.spec?.taints);
    if (taints.length) spec.taints = taints;
    else delete spec.taints;
    return { ...n, metadata: { ...n.metadata, labels: { ...(n.metadata?.labels ?? {}), ...labels } }, spec };
  };
}

/** nodeAddressesChangeDetected: by count, then each type's address. */
function addressesChanged(a: readonly NodeAddress[], b: readonly NodeAddress[]): boolean {
  if (a.length !== b.length) return true;
  const byType = new Map(a.map((x) => [x.type, x.address]));
  return b.some((x) => byType.get(x.type) !== x.address);
}

export const newCloudNodeController = (ctx: CloudControllerContext): Controller => new CloudNodeController(ctx);
