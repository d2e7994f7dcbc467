// NodeVolumeLimits: a node may attach only so many volumes of a CSI driver.
// Upstream: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go
// (CSILimits). Each PVC volume counts for its driver, once per volume
// handle however many pods on the node use it; an unbound claim counts for
// its class's provisioner. The limit is the node's allocatable
// "attachable-volumes-csi-<driver>" (kubeviz does not simulate CSINode
// objects, whose drivers[].allocatable.count upstream prefers). In-tree
// volumes migrated to CSI are not simulated.
import type { PersistentVolumeClaim, Pod } from '../../api/types';
import { claimClass } from '../../api/persistent-volume-helpers';
import type { PluginFactory } from '../framework/registry';
import { SKIP, SUCCESS, unresolvable, unschedulable, type Status } from '../framework/status';
import type { FilterPlugin, Handle, NodeInfo, PreFilterPlugin, VolumeListers } from '../framework/types';

export const NODE_VOLUME_LIMITS = 'NodeVolumeLimits';
export const ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = 'node(s) exceed max volume count';
/** volumeutil.CSIAttachLimitPrefix. */
export const CSI_ATTACH_LIMIT_PREFIX = 'attachable-volumes-csi-';
/** Stands in for upstream's random prefix of the handles of volumes not provisioned yet. */
const UNBOUND_HANDLE_PREFIX = 'kubeviz-unbound';

/** GetCSIAttachLimitKey (names too long for a resource name are hashed upstream; kubeviz keeps them). */
export const csiAttachLimitKey = (driver: string): string => CSI_ATTACH_LIMIT_PREFIX + driver;

class NodeVolumeLimits implements PreFilterPlugin, FilterPlugin {
  readonly name = NODE_VOLUME_LIMITS;

  constructor(private readonly handle: Handle) {}

  preFilter(_state: unknown, pod: Pod) {
    for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim || v.ephemeral) return { status: SUCCESS };
    return { status: SKIP };
  }

  /** getCSIDriverInfo: the driver and handle of the claim's volume, or of its class for an unbound claim. */
  private driverInfo(listers: VolumeListers | undefined, pvc: PersistentVolumeClaim): [driver: string, handle: string] | undefined {
    const pvName = pvc.spec?.volumeName;
    const pv = pvName ? listers?.volume(pvName) : undefined;
    if (pv) {
      const csi = pv.spec?.csi;
      return csi ? [csi.driver, csi.volumeHandle] : undefined;
    }
    const sc = claimClass(pvc) ? listers?.storageClass(claimClass(pvc)) : undefined;
    if (!sc) return undefined;
    return [sc.provisioner, `${UNBOUND_HANDLE_PREFIX}-${pvc.metadata?.namespace}/${pvc.metadata?.name}`];
  }

  /** filterAttachableVolumes: unique volume name -> limit key. A new pod's missing claim is an error; an existing pod's is skipped. */
  private attachable(pod: Pod, newPod: boolean, out: Map<string, string>): Status | undefined {
    const listers = this.handle.volumeListers?.();
    const ns = pod.metadata?.namespace ?? 'default';
    for (const v of pod.spec?.volumes ?? []) {
      const name = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata?.name}-${v.name}` : undefined);
      if (name === undefined) continue;
      if (!name) return unresolvable('PersistentVolumeClaim had no name');
      const pvc = listers?.claim(ns, name);
      if (!pvc) {
        if (newPod) return unresolvable(`looking up PVC ${ns}/${name}: persistentvolumeclaim "${name}" not found`);
        continue;
      }
      const info = this.driverInfo(listers, pvc);
      if (!info || !info[0] || !info[1]) continue;
      out.set(`${info[0]}/${info[1]}`, csiAttachLimitKey(info[0]));
    }
    return undefined;
  }

  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): Status {
    if (!pod.spec?.volumes?.length) return SUCCESS;
    const fresh = new Map<string, string>();
    const bad = this.attachable(pod, true, fresh);
    if (bad) return bad;
    if (fresh.size === 0) return SUCCESS;
    const limits = nodeInfo.allocatable.scalar;
    let any = false;
    for (const k in limits) if (k.startsWith(CSI_ATTACH_LIMIT_PREFIX)) any = true;
    if (!any) return SUCCESS;
    const attached = new Map<string, string>();
    for (const p of nodeInfo.pods) this.attachable(p.pod, false, attached);
    const attachedCount = new Map<string, number>();
    for (const [unique, key] of attached) {
      // A volume several pods share counts once.
      fresh.delete(unique);
      attachedCount.set(key, (attachedCount.get(key) ?? 0) + 1);
    }
    const newCount = new Map<string, number>();
    for (const key of fresh.values()) newCount.set(key, (newCount.get(key) ?? 0) + 1);
    for (const [key, count] of newCount) {
      const max = limits[key];
      if (max !== undefined && (attachedCount.get(key) ?? 0) + count > max) return unschedulable(ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED);
    }
    return SUCCESS;
  }
}

export const newNodeVolumeLimits: PluginFactory = (_args, handle) => new NodeVolumeLimits(handle);
