// cloud-controller-manager's cloud-node-lifecycle-controller, after
// upstream staging/src/k8s.io/cloud-provider/controllers/nodelifecycle/
// node_lifecycle_controller.go (v1.30-1.34). Every --node-monitor-period
// (5 s) MonitorNodes walks the Nodes in its informer:
//  - Ready=True: the node.cloudprovider.kubernetes.io/shutdown taint comes
//    off, if it is there (no request otherwise);
//  - not Ready (False, Unknown, or no condition at all): the cloud is asked
//    whether the instance still exists. Gone: a "DeletingNode" event
//    ("Deleting node NAME because it does not exist in the cloud provider")
//    and the Node is deleted. Still there but shut down: the shutdown
//    NoSchedule taint goes on (and the Node stays).
// It never waits for its cache (upstream's Run has no WaitForCacheSync): the
// first pass runs with the process and may see nothing yet.
import type { Node } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Controller } from '../controllers/controller';
import { addOrUpdateTaintOnNode, removeTaintOffNode } from '../controllers/node-lifecycle-taints';
import type { SharedInformer } from '../controllers/shared-informers';
import type { Timer } from '../kernel/kernel';
import type { CloudControllerContext } from './cloud-controller';
import { SHUTDOWN_TAINT } from './cloud-taints';

export const CLOUD_NODE_LIFECYCLE_CONTROLLER = 'cloud-node-lifecycle-controller';
/** deleteNodeEvent. */
export const DELETING_NODE = 'DeletingNode';

export class CloudNodeLifecycleController implements Controller {
  readonly name = CLOUD_NODE_LIFECYCLE_CONTROLLER;
  private readonly nodes: SharedInformer;
  private readonly recorder: EventRecorder;
  private timer?: Timer;

  constructor(private readonly ctx: CloudControllerContext) {
    this.recorder = ctx.recorder(CLOUD_NODE_LIFECYCLE_CONTROLLER);
    this.nodes = ctx.informers.for('Node');
    // wait.Until: the first pass at once (after the informers are started), then every period.
    this.timer = ctx.kernel.after(0, `${CLOUD_NODE_LIFECYCLE_CONTROLLER}.monitor`, () => this.tick());
  }

  stop(): void {
    this.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.monitorNodes();
    this.timer = this.ctx.kernel.after(this.ctx.options.nodeMonitorPeriod, `${CLOUD_NODE_LIFECYCLE_CONTROLLER}.monitor`, () => this.tick());
  }

  /** MonitorNodes. */
  monitorNodes(): void {
    const { client, cloud } = this.ctx;
    for (const node of this.nodes.list() as Node[]) {
      const name = node.metadata!.name!;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
      if (ready === 'True') {
        removeTaintOffNode(client, name, node, [SHUTDOWN_TAINT]);
        continue;
      }
      const exists = cloud.instanceExists(node);
      if (!exists.ok) continue;
      if (!exists.value) {
        const ref = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: node.metadata?.uid } } as KubeObject;
        this.recorder.event(ref, 'Normal', DELETING_NODE, `Deleting node ${name} because it does not exist in the cloud provider`);
        client.delete('Node', undefined, name);
        continue;
      }
      const shutdown = cloud.instanceShutdown(node);
      if (shutdown.ok && shutdown.value) addOrUpdateTaintOnNode(client, name, [SHUTDOWN_TAINT]);
    }
  }
}

export const newCloudNodeLifecycleController = (ctx: CloudControllerContext): Controller => new CloudNodeLifecycleController(ctx);
