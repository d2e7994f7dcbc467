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
import type { Node, Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { DaemonSet, Deployment, KubeObject, ReplicaSet, ResourceInfo } from '../api/types';
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
import { hashString } from '../kernel/rng';
import { hexFrom, ImageCatalog, normalizeImage } from '../node/image-catalog';
import { podCidrFor } from '../node/pod-network';
import { generatePodStatus, type ContainerView } from '../node/pod-status';
import type { NodePool, RegistryModel } from '../model';

/** `ownsMetadata`: the object was stamped for the snapshot alone (its metadata is its own), so the restore stamps its resourceVersion in place. */
type Prepared = { info: ResourceInfo; obj: KubeObject; ownsMetadata?: boolean };

/** One pool node as the starting state stamped it: the prepared Node and its place among the cluster's nodes. */
export interface PoolNode {
  node: Node;
  /** NodeAgents' index for it (the order nodes are stored in): its pod CIDR without a cloud. */
  index: number;
}

export interface SettleDeps {
  /** The prepared object of the scenario's files, or undefined. */
  find(kind: string, namespace: string, name: string): Prepared | undefined;
  /** Put a changed version of a prepared object back in its place. */
  replace(p: Prepared): void;
  prepare(obj: KubeObject): Prepared | Failure;
  /** Stores a new object; a message when it cannot be (a name taken). */
  add(p: Prepared): string | undefined;
  newUid(): string;
  nameSuffix(): string;
  /** Is this pod name taken (in the files, or by a pod stamped before)? */
  podNameTaken(namespace: string, name: string): boolean;
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
  /** Next free host address per node (host-local hands out .2, .3, ... in order). */
  private readonly nextHost = new Map<string, number>();
  /** Every workload once: a workload settles across one pool. */
  private readonly seen = new Set<string>();
  private readonly daemonSets: Array<{ ds: Prepared; pods: Map<string, Pod> }> = [];

  /** One hostIPs list per node, shared by its pods' statuses (the kubelet shares them too). */
  private readonly hostIPLists = new Map<string, Array<{ ip: string }>>();
  private readonly prefixes = new Map<number, string>();

  constructor(private readonly d: SettleDeps) {
    this.catalog = new ImageCatalog(d.registry);
  }

  /** Places the pool's workloads on its nodes. Deployments' replicas go round-robin over the nodes, continuing from one Deployment to the next. */
  place(pool: NodePool, nodes: readonly PoolNode[]): SettleProblem | undefined {
    let cursor = 0;
    for (const [i, w] of (pool.workloads ?? []).entries()) {
      const field = `workloads[${i}]`;
      const ns = w.namespace ?? 'default';
      const id = `${w.kind}/${ns}/${w.name}`;
      if (this.seen.has(id)) return { field, message: `${w.kind} ${ns}/${w.name} already settles across a pool` };
      this.seen.add(id);
      const found = this.d.find(w.kind, ns, w.name);
      if (!found) return { field, message: `${w.kind} ${JSON.stringify(`${ns}/${w.name}`)} is not among the scenario's objects` };
      if (nodes.length === 0) continue;
      const why = w.kind === 'Deployment' ? this.deployment(found, nodes, cursor) : this.daemonSet(found, nodes);
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
      this.d.replace({ ...ds, obj: { ...ds.obj, status } as KubeObject });
    }
  }

  /** getNewReplicaSet at revision 1, scaled to spec.replicas, its pods on the pool's nodes. */
  private deployment(p: Prepared, nodes: readonly PoolNode[], cursor: number): string | undefined {
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
      const why = this.stampPods(proto, ns, replicas, (k) => nodes[(cursor + k) % nodes.length], pods);
      if (why) return why;
    }
    const rsStatus = { ...replicaSetStatus(rsObj, pods, undefined, 0), observedGeneration: rsObj.metadata?.generation };
    const settledRS = { ...rsObj, status: rsStatus } as ReplicaSet;
    const why = this.d.add({ ...preparedRS, obj: settledRS as KubeObject });
    if (why) return why;

    // The Deployment: revision 1 (setDeploymentRevision) and the status of a finished rollout.
    const annotations = { ...d.metadata!.annotations, [dutil.REVISION_ANNOTATION]: '1' };
    const base = { ...(p.obj as Deployment), metadata: { ...p.obj.metadata, annotations } };
    const status = deploymentStatus([settledRS], settledRS, base, 0);
    if (dutil.hasProgressDeadline(base) && dutil.deploymentComplete(base, status))
      dutil.setCondition(status, dutil.newCondition('Progressing', 'True', dutil.NEW_RS_AVAILABLE, `ReplicaSet ${JSON.stringify(rsObj.metadata!.name)} has successfully progressed.`, 0));
    this.d.replace({ ...p, obj: { ...base, status } as KubeObject });
    return undefined;
  }

  /** syncNodes: a pod for every pool node the DaemonSet fits. */
  private daemonSet(p: Prepared, nodes: readonly PoolNode[]): string | undefined {
    const ds = p.obj as DaemonSet;
    const ns = ds.metadata!.namespace!;
    const hash = templateHash(ds.spec?.template, ds.status?.collisionCount);
    const template = createPodTemplate(ds.spec!.template!, templateGeneration(ds), hash);
    const fit = compileDaemonPodFit(ds);
    const targets = nodes.filter((n) => fit(n.node).shouldRun);
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
    const why = this.stampPods(proto, ns, targets.length, (k) => targets[k], pods, (spec, node) => ({ ...spec, affinity: nodeNameAffinity(template.spec!.affinity, node) }));
    if (why) return why;
    this.daemonSets.push({ ds: p, pods: new Map(pods.map((pod) => [pod.spec!.nodeName!, pod])) });
    return undefined;
  }

  /**
   * `count` pods from one prototype: it goes through the create pipeline
   * once (defaulting, admission, validation), then each copy gets its name,
   * uid and node, as the scheduler's binding would have set it.
   */
  private stampPods(
    proto: Pod,
    ns: string,
    count: number,
    nodeFor: (k: number) => PoolNode,
    out: Pod[],
    specFor: (spec: NonNullable<Pod['spec']>, node: string) => NonNullable<Pod['spec']> = (spec) => spec,
  ): string | undefined {
    const prefix = proto.metadata!.generateName!;
    const first = nodeFor(0).node.metadata!.name!;
    const prepared = this.d.prepare({ ...proto, metadata: { ...proto.metadata, name: `${prefix}probe` }, spec: { ...specFor(proto.spec!, first), nodeName: first } } as KubeObject);
    if (isFailure(prepared)) return `pods of ${prefix.slice(0, -1)}: ${prepared.message}`;
    const t = prepared.obj as Pod;
    // The first pod's status is worked out in full; the others differ only in addresses and container ids.
    let statusTemplate: PodStatus | undefined;
    // Bound by the scheduler: PodScheduled, one (immutable) status shared by the copies until their kubelet's replaces it.
    const boundStatus: PodStatus = { ...t.status, conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: t.metadata!.creationTimestamp! }] };
    for (let k = 0; k < count; k++) {
      const { node, index } = nodeFor(k);
      const nodeName = node.metadata!.name!;
      let name: string;
      do name = prefix + this.d.nameSuffix();
      while (this.d.podNameTaken(ns, name));
      const pod: Pod = {
        ...t,
        metadata: { ...t.metadata, name, uid: this.d.newUid() },
        spec: { ...specFor(t.spec!, nodeName), nodeName },
        status: boundStatus,
      };
      const settled = this.d.podCIDRsKnown ? this.running(pod, node, index, statusTemplate) : pod;
      statusTemplate ??= settled.status?.containerStatuses ? settled.status : undefined;
      const why = this.d.add({ info: prepared.info, obj: settled as KubeObject, ownsMetadata: true });
      if (why) return why;
      out.push(settled);
    }
    return undefined;
  }

  /** "10.244.3" for node index 3: its pod CIDR's first three octets. */
  private cidrPrefix(index: number): string {
    let p = this.prefixes.get(index);
    if (p === undefined) this.prefixes.set(index, (p = podCidrFor(index).split('/')[0].split('.').slice(0, 3).join('.')));
    return p;
  }

  private hostIPs(node: string, ip: string): Array<{ ip: string }> {
    let l = this.hostIPLists.get(node);
    if (!l) this.hostIPLists.set(node, (l = [{ ip }]));
    return l;
  }

  /**
   * The pod as its kubelet reports it once it has run since t=0: the status
   * generatePodStatus gives for a ready sandbox (the next address of the
   * node's pod CIDR, unless host-network) and running containers, with ids
   * the runtime then takes over (pod-workers adoptRunning).
   */
  private running(pod: Pod, node: Node, index: number, template: PodStatus | undefined): Pod {
    const hostIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const nodeName = node.metadata!.name!;
    let podIP = hostIP;
    if (!pod.spec?.hostNetwork) {
      const host = this.nextHost.get(nodeName) ?? 2;
      if (host > 254) return pod; // the /24 is full: the kubelet will say so
      this.nextHost.set(nodeName, host + 1);
      podIP = `${this.cidrPrefix(index)}.${host}`;
    }
    const uid = pod.metadata!.uid!;
    const idOf = (name: string) => `containerd://${hexFrom(hashString(`${uid}/${name}`))}`;
    if (template && hostIP) {
      // A pod of the same prototype: the same status but for its addresses and its containers' ids.
      const hostIPs = this.hostIPs(nodeName, hostIP);
      const status: PodStatus = {
        ...template,
        hostIP,
        hostIPs,
        podIP,
        podIPs: podIP === hostIP ? hostIPs : [{ ip: podIP! }],
        ...(template.initContainerStatuses ? { initContainerStatuses: template.initContainerStatuses.map((s) => ({ ...s, containerID: idOf(s.name) })) } : {}),
        containerStatuses: template.containerStatuses!.map((s) => ({ ...s, containerID: idOf(s.name) })),
      };
      return { ...pod, status };
    }
    const view = (c: { name: string; image?: string }, init: boolean): ContainerView | undefined => {
      const ref = normalizeImage(c.image ?? '');
      const image = ref ? this.catalog.lookup(ref) : undefined;
      if (!image) return undefined;
      const id = idOf(c.name).slice('containerd://'.length);
      const current = init
        ? { id, podUid: uid, name: c.name, attempt: 0, image, state: 'exited' as const, createdAt: 0, startedAt: 0, finishedAt: 0, exitCode: 0, reason: 'Completed' }
        : { id, podUid: uid, name: c.name, attempt: 0, image, state: 'running' as const, createdAt: 0, startedAt: 0 };
      return { name: c.name, specImage: c.image ?? '', current, ready: true, started: true, runToCompletion: init };
    };
    const inits = (pod.spec?.initContainers ?? []).map((c) => view(c, true));
    const regular = pod.spec!.containers.map((c) => view(c, false));
    // An image the registry lacks cannot have been running: the kubelet pulls it (and fails) at t=0.
    if ([...inits, ...regular].some((v) => v === undefined)) return pod;
    const status: PodStatus = generatePodStatus({
      pod,
      initContainers: inits as ContainerView[],
      containers: regular as ContainerView[],
      sandboxReady: true,
      podIP,
      hostIP,
      startTime: 0,
      terminal: false,
      now: 0,
    });
    return { ...pod, status };
  }
}

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
