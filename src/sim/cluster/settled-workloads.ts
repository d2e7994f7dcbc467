// Workloads that have been running on a node pool since before the scenario
// began (NodePool.workloads): the objects kube-controller-manager, the
// scheduler and the kubelets would have left, written straight into the
// starting snapshot. A Deployment gets its ReplicaSet (named and labelled
// with the pod-template-hash our Deployment controller computes, revision 1,
// desired/max-replicas annotations) and the ReplicaSet its pods; a DaemonSet
// one pod per pool node it fits (controller-revision-hash label, the node
// pinned by required node affinity, the daemon tolerations), each pod owned
// through a controllerRef as RealPodControl makes them, bound to its node,
// Running and Ready with the status its kubelet reports (generatePodStatus),
// and every status (ReplicaSet, Deployment, DaemonSet) as those controllers
// compute it. The controllers then find a settled cluster at t=0 and write
// nothing; the kubelets find the status they would post and post nothing.
// Upstream has no such thing (a real cluster is just running); we follow
// what its controllers would have made: pkg/controller/deployment/sync.go
// (getNewReplicaSet), pkg/controller/replicaset (calculateStatus),
// pkg/controller/daemon (syncNodes, updateDaemonSetStatus). Our DaemonSet
// controller keeps no ControllerRevisions, so none are written.
import type { Affinity, Node, Pod } from 'kubernetes-types/core/v1';
import type { DaemonSet, Deployment, KubeObject, ReplicaSet } from '../api/types';
import type { Failure } from '../apiserver/status';
import { newControllerRef } from '../controllers/controller-utils';
import { computeHash } from '../controllers/controller-utils-hash';
import { podFromTemplate } from '../controllers/controller-utils-pod-control';
import { compileDaemonPodFit } from '../controllers/daemonset-node-fit';
import { controllerRef } from '../controllers/daemonset-pod-control';
import { createPodTemplate, nodeNameAffinity, templateGeneration, templateHash } from '../controllers/daemonset-util';
import { calculateStatus as deploymentStatus } from '../controllers/deployment-sync';
import * as dutil from '../controllers/deployment-util';
import { calculateStatus as replicaSetStatus } from '../controllers/replicaset-status';
import { ImageCatalog } from '../node/image-catalog';
import type { NodePool, RegistryModel } from '../model';
import { NodeSlot, PodStamper } from './settled-pods';
import type { Prepared, StartingObjects } from './starting-objects';

/** One pool node as the starting state stamped it: the prepared Node and its place among the cluster's nodes. */
export interface PoolNode {
  node: Node;
  /** NodeAgents' index for it (the order nodes are stored in): its pod CIDR without a cloud. */
  index: number;
}

export interface SettleDeps {
  /** The starting objects so far: the scenario's files and the pools' nodes; the workloads' objects are added to them. */
  objects: StartingObjects;
  prepare(obj: KubeObject): Prepared | Failure;
  newUid(): string;
  nameSuffix(): string;
  registry?: RegistryModel;
  /**
   * Sandboxes get their addresses from node i's podCidrFor(i) (no cloud). On a
   * cloud the pod CIDRs come later from node IPAM, so pods are stored bound
   * but without a status, and their kubelets report it at t=0.
   */
  podCIDRsKnown: boolean;
}

export type SettleProblem = { field: string; message: string };

const isFailure = (x: Prepared | Failure): x is Failure => (x as Failure).kind === 'Status';

export class SettledWorkloads {
  private readonly catalog: ImageCatalog;
  /** Every workload once: a workload settles across one pool. */
  private readonly seen = new Set<string>();
  private readonly daemonSets: Array<{ ds: Prepared; pods: Map<string, Pod> }> = [];
  /** Prototypes stamped so far. */
  private stampers = 0;

  constructor(private readonly d: SettleDeps) {
    this.catalog = new ImageCatalog(d.registry);
  }

  /** Places the pool's workloads on its nodes. Deployments' replicas go round-robin over the nodes, continuing from one Deployment to the next. */
  place(pool: NodePool, nodes: readonly PoolNode[]): SettleProblem | undefined {
    // One slot per node, for every workload of the pool: their pods take the node's addresses in turn.
    const slots = nodes.map((n) => new NodeSlot(n.node, n.index));
    let cursor = 0;
    for (const [i, w] of (pool.workloads ?? []).entries()) {
      const field = `workloads[${i}]`;
      const ns = w.namespace ?? 'default';
      const id = `${w.kind}/${ns}/${w.name}`;
      if (this.seen.has(id)) return { field, message: `${w.kind} ${ns}/${w.name} already settles across a pool` };
      this.seen.add(id);
      const found = this.d.objects.findWorkload(w.kind === 'Deployment' ? 'deployments' : 'daemonsets', ns, w.name);
      if (!found) return { field, message: `${w.kind} ${JSON.stringify(`${ns}/${w.name}`)} is not among the scenario's objects` };
      if (slots.length === 0) continue;
      const why = w.kind === 'Deployment' ? this.deployment(found, slots, cursor) : this.daemonSet(found, slots);
      if (typeof why === 'string') return { field, message: why };
      if (w.kind === 'Deployment') cursor += (found.obj as Deployment).spec?.replicas ?? 0;
    }
    return undefined;
  }

  /**
   * The DaemonSets' statuses, once every pool is placed: they count every
   * node of the cluster, as updateDaemonSetStatus does (a node outside the
   * pools that the DaemonSet fits has no pod yet: its controller makes one).
   */
  finish(allNodes: readonly Node[]): void {
    for (const { ds, pods } of this.daemonSets) {
      const set = ds.obj as DaemonSet;
      const fit = compileDaemonPodFit(set);
      let desired = 0;
      let current = 0;
      let misscheduled = 0;
      let ready = 0;
      for (const node of allNodes) {
        const pod = pods.get(node.metadata!.name!);
        if (!fit(node).shouldRun) {
          if (pod) misscheduled++;
          continue;
        }
        desired++;
        if (!pod) continue;
        current++;
        if (isReady(pod)) ready++;
      }
      // Every settled pod is the template's (updated) and Ready since t=0: available with any minReadySeconds of 0.
      const available = (set.spec?.minReadySeconds ?? 0) > 0 ? 0 : ready;
      const unavailable = desired - available;
      const status: NonNullable<DaemonSet['status']> = {
        ...set.status,
        observedGeneration: set.metadata?.generation,
        currentNumberScheduled: current,
        numberMisscheduled: misscheduled,
        desiredNumberScheduled: desired,
        numberReady: ready,
        ...(current ? { updatedNumberScheduled: current } : {}),
        ...(available ? { numberAvailable: available } : {}),
        ...(unavailable ? { numberUnavailable: unavailable } : {}),
      };
      this.d.objects.replaceWorkload({ ...ds, obj: { ...ds.obj, status } as KubeObject });
    }
  }

  /** getNewReplicaSet at revision 1, scaled to spec.replicas, its pods on the pool's nodes. */
  private deployment(p: Prepared, slots: readonly NodeSlot[], cursor: number): string | undefined {
    const d = structuredClone(p.obj) as Deployment;
    const name = d.metadata!.name!;
    const ns = d.metadata!.namespace!;
    const replicas = d.spec?.replicas ?? 0;
    const hash = computeHash(d.spec!.template, d.status?.collisionCount);
    const template = structuredClone(d.spec!.template!);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [dutil.POD_TEMPLATE_HASH]: hash } };
    const selector = structuredClone(d.spec!.selector!);
    selector.matchLabels = { ...selector.matchLabels, [dutil.POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-${hash}`, namespace: ns, ownerReferences: [newControllerRef(d as KubeObject, 'apps/v1', 'Deployment')], labels: template.metadata.labels },
      spec: { replicas, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
    };
    dutil.setNewReplicaSetAnnotations(d, rs, '1', false);
    const preparedRS = this.d.prepare(rs as KubeObject);
    if (isFailure(preparedRS)) return `ReplicaSet ${rs.metadata!.name}: ${preparedRS.message}`;
    const rsObj = preparedRS.obj as ReplicaSet;

    const pods: Pod[] = [];
    if (replicas > 0) {
      const proto = podFromTemplate(rsObj.spec!.template!, rsObj as KubeObject, newControllerRef(rsObj as KubeObject, 'apps/v1', 'ReplicaSet'));
      const why = this.stampPods(proto, ns, replicas, (k) => slots[(cursor + k) % slots.length], pods);
      if (why) return why;
    }
    const rsStatus = { ...replicaSetStatus(rsObj, pods, undefined, 0), observedGeneration: rsObj.metadata?.generation };
    const settledRS = { ...rsObj, status: rsStatus } as ReplicaSet;
    const why = this.d.objects.add({ ...preparedRS, obj: settledRS as KubeObject });
    if (why) return why;

    // The Deployment: revision 1 (setDeploymentRevision) and the status of a finished rollout.
    const annotations = { ...d.metadata!.annotations, [dutil.REVISION_ANNOTATION]: '1' };
    const base = { ...(p.obj as Deployment), metadata: { ...p.obj.metadata, annotations } };
    const status = deploymentStatus([settledRS], settledRS, base, 0);
    if (dutil.hasProgressDeadline(base) && dutil.deploymentComplete(base, status))
      dutil.setCondition(status, dutil.newCondition('Progressing', 'True', dutil.NEW_RS_AVAILABLE, `ReplicaSet ${JSON.stringify(rsObj.metadata!.name)} has successfully progressed.`, 0));
    this.d.objects.replaceWorkload({ ...p, obj: { ...base, status } as KubeObject });
    return undefined;
  }

  /** syncNodes: a pod for every pool node the DaemonSet fits. */
  private daemonSet(p: Prepared, slots: readonly NodeSlot[]): string | undefined {
    const ds = p.obj as DaemonSet;
    const ns = ds.metadata!.namespace!;
    const hash = templateHash(ds.spec?.template, ds.status?.collisionCount);
    const template = createPodTemplate(ds.spec!.template!, templateGeneration(ds), hash);
    const fit = compileDaemonPodFit(ds);
    const targets = slots.filter((n) => fit(n.node).shouldRun);
    const proto: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        namespace: ns,
        generateName: `${ds.metadata!.name}-`,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ...(template.metadata?.finalizers?.length ? { finalizers: [...template.metadata.finalizers] } : {}),
        ownerReferences: [controllerRef(p.obj)],
      },
      spec: template.spec,
    };
    const pods: Pod[] = [];
    const affinityFor = (node: string) => nodeNameAffinity(template.spec!.affinity, node);
    const why = this.stampPods(proto, ns, targets.length, (k) => targets[k], pods, affinityFor);
    if (why) return why;
    const byNode = new Map<string, Pod>();
    for (const pod of pods) byNode.set(pod.spec!.nodeName!, pod);
    this.daemonSets.push({ ds: p, pods: byNode });
    return undefined;
  }

  /**
   * `count` pods from one prototype: it goes through the create pipeline
   * once (defaulting, admission, validation), then each copy gets its name,
   * uid and node, as the scheduler's binding would have set it.
   */
  private stampPods(proto: Pod, ns: string, count: number, slotFor: (k: number) => NodeSlot, out: Pod[], affinityFor?: (node: string) => Affinity): string | undefined {
    const prefix = proto.metadata!.generateName!;
    const first = slotFor(0).name;
    const spec = affinityFor ? { ...proto.spec!, affinity: affinityFor(first) } : proto.spec!;
    const prepared = this.d.prepare({ ...proto, metadata: { ...proto.metadata, name: `${prefix}probe` }, spec: { ...spec, nodeName: first } } as KubeObject);
    if (isFailure(prepared)) return `pods of ${prefix.slice(0, -1)}: ${prepared.message}`;
    const { objects } = this.d;
    const refused = objects.refusal(prepared.info, ns);
    if (refused) return refused;
    const names = objects.namesIn(prepared.info.resource, ns);
    const stamper = new PodStamper(prepared.obj as Pod, { catalog: this.catalog, podCIDRsKnown: this.d.podCIDRsKnown, affinityFor }, this.stampers++);
    for (let k = 0; k < count; k++) {
      let name: string;
      do name = prefix + this.d.nameSuffix();
      while (names.has(name));
      names.add(name);
      const pod = stamper.stamp(name, this.d.newUid(), slotFor(k));
      objects.push({ info: prepared.info, obj: pod as KubeObject, ownsMetadata: true });
      out.push(pod);
    }
    return undefined;
  }
}

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
