// The pods of one settled workload, stamped from a prototype that went
// through the create pipeline once (defaulting, admission, validation):
// each copy differs only in its name, uid and node, and, once Running, in
// its addresses and its containers' ids. Each pod is built once, in the form
// it is stored in; what does not differ between copies (labels, owner
// references, the spec of the copies on one node, conditions, a node's
// hostIPs) is shared, as stored objects are never changed in place (a write
// stores a new object; see api/copy-on-write.ts).
import type { Affinity, ContainerStatus, Node, Pod, PodSpec, PodStatus } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { hashString } from '../kernel/rng';
import { hexFrom, type ImageCatalog, normalizeImage } from '../node/image-catalog';
import { podCidrFor } from '../node/pod-network';
import { generatePodStatus, type ContainerView } from '../node/pod-status';

/** A pool node as the pods settled on it see it, worked out once for the node. */
export class NodeSlot {
  readonly name: string;
  /** Its InternalIP: its pods' hostIP (and podIP when they use the host's network). */
  readonly hostIP: string | undefined;
  /** One hostIPs list, shared by the node's pods (the kubelet shares them too). */
  readonly hostIPs: Array<{ ip: string }> | undefined;
  /** The spec one prototype's pods on this node share, by the prototype's number (PodStamper's id). */
  readonly specs: PodSpec[] = [];
  /** The next free address of its pod CIDR: host-local hands out .2, .3, ... in order. */
  nextHost = 2;
  private prefix: string | undefined;

  constructor(
    readonly node: Node,
    /** NodeAgents' index for it (the order nodes are stored in): its pod CIDR without a cloud. */
    readonly index: number,
  ) {
    this.name = node.metadata!.name!;
    this.hostIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    this.hostIPs = this.hostIP ? [{ ip: this.hostIP }] : undefined;
  }

  /** "10.244.3" for node index 3: its pod CIDR's first three octets. */
  cidrPrefix(): string {
    return (this.prefix ??= podCidrFor(this.index).split('/')[0].split('.').slice(0, 3).join('.'));
  }
}

export interface StampOptions {
  catalog: ImageCatalog;
  /**
   * Sandboxes get their addresses from node i's podCidrFor(i) (no cloud). On a
   * cloud the pod CIDRs come later from node IPAM, so pods are stored bound
   * but without a running status, and their kubelets report it at t=0.
   */
  podCIDRsKnown: boolean;
  /** A DaemonSet pod's affinity pins it to its node. */
  affinityFor?: (node: string) => Affinity;
}

/** Stamps the pods of one prepared prototype. */
export class PodStamper {
  /** The prototype's metadata with every field a stored copy has: resourceVersion is written in place when the snapshot is restored. */
  private readonly metadata: ObjectMeta;
  /** Bound by the scheduler: PodScheduled, one status shared by the copies until their kubelet's replaces it. */
  private readonly bound: PodStatus;
  /** The first Running copy's status: the others differ only in addresses and containers' ids. */
  private running: PodStatus | undefined;
  private readonly hostNetwork: boolean;

  constructor(
    /** The prototype as prepareNew returned it. */
    private readonly proto: Pod,
    private readonly o: StampOptions,
    /** This prototype's number among the stampers of the slots' pool (0, 1, ...): where its pods' spec sits on each slot. */
    private readonly id: number,
  ) {
    this.metadata = { ...proto.metadata, resourceVersion: '' };
    this.bound = { ...proto.status, conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: proto.metadata!.creationTimestamp! }] };
    this.hostNetwork = !!proto.spec?.hostNetwork;
  }

  /** A copy bound to the slot's node and, when its address can be known, Running and Ready as its kubelet reports it. */
  stamp(name: string, uid: string, slot: NodeSlot): Pod {
    const t = this.proto;
    const spec = this.specOn(slot);
    if (!this.o.podCIDRsKnown) return { ...t, metadata: { ...this.metadata, name, uid }, spec, status: this.bound };
    const hostIP = slot.hostIP;
    let podIP = hostIP;
    if (!this.hostNetwork) {
      const host = slot.nextHost;
      // The /24 is full: the kubelet will say so.
      if (host > 254) return { ...t, metadata: { ...this.metadata, name, uid }, spec, status: this.bound };
      slot.nextHost = host + 1;
      podIP = `${slot.cidrPrefix()}.${host}`;
    }
    const template = this.running;
    if (template && hostIP) {
      // The template's fields in their places: only the addresses and the containers' ids differ.
      const hostIPs = slot.hostIPs!;
      const podIPs = podIP === hostIP ? hostIPs : [{ ip: podIP! }];
      const containerStatuses = withContainerIds(template.containerStatuses!, uid);
      const status: PodStatus = template.initContainerStatuses
        ? { ...template, hostIP, hostIPs, podIP, podIPs, initContainerStatuses: withContainerIds(template.initContainerStatuses, uid), containerStatuses }
        : { ...template, hostIP, hostIPs, podIP, podIPs, containerStatuses };
      return { ...t, metadata: { ...this.metadata, name, uid }, spec, status };
    }
    const pod: Pod = { ...t, metadata: { ...this.metadata, name, uid }, spec, status: this.bound };
    const status = this.generated(pod, podIP, hostIP);
    if (!status) return pod;
    if (!this.running && status.containerStatuses) this.running = status;
    return { ...pod, status };
  }

  private specOn(slot: NodeSlot): PodSpec {
    const t = this.proto.spec!;
    // A DaemonSet has one pod per node: nothing to share.
    if (this.o.affinityFor) return { ...t, affinity: this.o.affinityFor(slot.name), nodeName: slot.name };
    return (slot.specs[this.id] ??= { ...t, nodeName: slot.name });
  }

  /**
   * The status generatePodStatus gives for a ready sandbox and running
   * containers, with ids the runtime then takes over (pod-workers
   * adoptRunning); undefined when an image is not in the registry (it cannot
   * have been running: the kubelet pulls it, and fails, at t=0).
   */
  private generated(pod: Pod, podIP: string | undefined, hostIP: string | undefined): PodStatus | undefined {
    const uid = pod.metadata!.uid!;
    const view = (c: { name: string; image?: string }, init: boolean): ContainerView | undefined => {
      const ref = normalizeImage(c.image ?? '');
      const image = ref ? this.o.catalog.lookup(ref) : undefined;
      if (!image) return undefined;
      const id = hexFrom(hashString(`${uid}/${c.name}`));
      const current = init
        ? { id, podUid: uid, name: c.name, attempt: 0, image, state: 'exited' as const, createdAt: 0, startedAt: 0, finishedAt: 0, exitCode: 0, reason: 'Completed' }
        : { id, podUid: uid, name: c.name, attempt: 0, image, state: 'running' as const, createdAt: 0, startedAt: 0 };
      return { name: c.name, specImage: c.image ?? '', current, ready: true, started: true, runToCompletion: init };
    };
    const inits = (pod.spec?.initContainers ?? []).map((c) => view(c, true));
    const regular = pod.spec!.containers.map((c) => view(c, false));
    if (inits.some((v) => v === undefined) || regular.some((v) => v === undefined)) return undefined;
    return generatePodStatus({
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
  }
}

/** The runtime's id for a pod's container, as the runtime derives it when it adopts the running pod. */
const containerId = (uid: string, name: string) => `containerd://${hexFrom(hashString(`${uid}/${name}`))}`;

/** The template's container statuses with this pod's container ids. */
function withContainerIds(statuses: readonly ContainerStatus[], uid: string): ContainerStatus[] {
  const out = new Array<ContainerStatus>(statuses.length);
  for (let i = 0; i < statuses.length; i++) out[i] = { ...statuses[i], containerID: containerId(uid, statuses[i].name) };
  return out;
}
