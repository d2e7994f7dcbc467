// VolumeRestrictions: volumes that may not be shared. Upstream:
// pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions.go.
// A ReadWriteOncePod claim already used by a scheduled pod rejects the pod
// on every node (Unschedulable: preempting that pod would help); in-tree
// disks (GCE PD, AWS EBS, iSCSI, Ceph RBD) conflict with the same disk of
// another pod on the node ("node(s) had no available disk"). PreFilter
// skips a pod with neither.
import type { Pod, Volume } from 'kubernetes-types/core/v1';
import { podHasClaims } from '../../api/persistent-volume-helpers';
import type { PluginFactory } from '../framework/registry';
import { SKIP, SUCCESS, unresolvable, unschedulable, type Status } from '../framework/status';
import { error } from '../framework/status';
import type { CycleState, FilterPlugin, Handle, NodeInfo, PodInfo, PreFilterPlugin, StateData } from '../framework/types';

export const VOLUME_RESTRICTIONS = 'VolumeRestrictions';
export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';
const STATE_KEY = 'PreFilter' + VOLUME_RESTRICTIONS;

class RestrictionsState implements StateData {
  constructor(
    /** Names of the pod's claims with the ReadWriteOncePod access mode. */
    readonly readWriteOncePodPVCs: ReadonlySet<string>,
    /** References to those claims by scheduled pods. */
    public conflictingPVCRefCount: number,
  ) {}

  clone(): StateData {
    return new RestrictionsState(this.readWriteOncePodPVCs, this.conflictingPVCRefCount);
  }

  refsOf(pod: Pod): number {
    let n = 0;
    for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim && this.readWriteOncePodPVCs.has(v.persistentVolumeClaim.claimName)) n++;
    return n;
  }
}

const needsRestrictionsCheck = (v: Volume) => !!(v.gcePersistentDisk || v.awsElasticBlockStore || v.rbd || v.iscsi);

function haveOverlap(a: readonly string[] = [], b: readonly string[] = []): boolean {
  const s = new Set(a);
  return b.some((x) => s.has(x));
}

/** isVolumeConflict: the same in-tree disk, mounted writable by one of the two. */
function isVolumeConflict(v: Volume, pod: Pod): boolean {
  for (const e of pod.spec?.volumes ?? []) {
    if (v.gcePersistentDisk && e.gcePersistentDisk && v.gcePersistentDisk.pdName === e.gcePersistentDisk.pdName && !(v.gcePersistentDisk.readOnly && e.gcePersistentDisk.readOnly))
      return true;
    if (v.awsElasticBlockStore && e.awsElasticBlockStore && v.awsElasticBlockStore.volumeID === e.awsElasticBlockStore.volumeID) return true;
    if (v.iscsi && e.iscsi && v.iscsi.iqn === e.iscsi.iqn && !(v.iscsi.readOnly && e.iscsi.readOnly)) return true;
    if (
      v.rbd &&
      e.rbd &&
      haveOverlap(v.rbd.monitors, e.rbd.monitors) &&
      (v.rbd.pool ?? 'rbd') === (e.rbd.pool ?? 'rbd') &&
      v.rbd.image === e.rbd.image &&
      !(v.rbd.readOnly && e.rbd.readOnly)
    )
      return true;
  }
  return false;
}

class VolumeRestrictions implements PreFilterPlugin, FilterPlugin {
  readonly name = VOLUME_RESTRICTIONS;

  constructor(private readonly handle: Handle) {}

  preFilter(state: CycleState, pod: Pod) {
    const volumes = pod.spec?.volumes;
    if (!volumes?.length) return { status: SKIP };
    const needsCheck = volumes.some(needsRestrictionsCheck);
    const rwop = new Set<string>();
    if (podHasClaims(pod)) {
      const listers = this.handle.volumeListers?.();
      const ns = pod.metadata?.namespace ?? 'default';
      for (const v of volumes) {
        if (!v.persistentVolumeClaim) continue;
        const name = v.persistentVolumeClaim.claimName;
        const pvc = listers?.claim(ns, name);
        if (!pvc) return { status: unresolvable(`persistentvolumeclaim "${name}" not found`) };
        if (pvc.spec?.accessModes?.includes('ReadWriteOncePod')) rwop.add(name);
      }
    }
    const s = new RestrictionsState(rwop, rwop.size ? this.usedByScheduledPods(pod, rwop) : 0);
    if (!needsCheck && s.conflictingPVCRefCount === 0) return { status: SKIP };
    state.write(STATE_KEY, s);
    return { status: SUCCESS };
  }

  /** calPreFilterState: each ReadWriteOncePod claim counts once if any scheduled pod of the namespace uses it. */
  private usedByScheduledPods(pod: Pod, claims: ReadonlySet<string>): number {
    const ns = pod.metadata?.namespace;
    const used = new Set<string>();
    for (const ni of this.handle.snapshot().list())
      for (const p of ni.pods) {
        if (p.pod.metadata?.namespace !== ns || p.pod.metadata?.uid === pod.metadata?.uid) continue;
        for (const v of p.pod.spec?.volumes ?? []) if (v.persistentVolumeClaim && claims.has(v.persistentVolumeClaim.claimName)) used.add(v.persistentVolumeClaim.claimName);
      }
    return used.size;
  }

  addPod(state: CycleState, _pod: Pod, info: PodInfo): Status {
    const s = state.read<RestrictionsState>(STATE_KEY);
    if (!s) return error(`cannot read "${STATE_KEY}" from cycleState`);
    s.conflictingPVCRefCount += s.refsOf(info.pod);
    return SUCCESS;
  }

  removePod(state: CycleState, _pod: Pod, info: PodInfo): Status {
    const s = state.read<RestrictionsState>(STATE_KEY);
    if (!s) return error(`cannot read "${STATE_KEY}" from cycleState`);
    s.conflictingPVCRefCount -= s.refsOf(info.pod);
    return SUCCESS;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    for (const v of pod.spec?.volumes ?? []) {
      if (!needsRestrictionsCheck(v)) continue;
      for (const e of nodeInfo.pods) if (isVolumeConflict(v, e.pod)) return unschedulable(ERR_REASON_DISK_CONFLICT);
    }
    const s = state.read<RestrictionsState>(STATE_KEY);
    if (!s) return error(`cannot read "${STATE_KEY}" from cycleState`);
    return s.conflictingPVCRefCount > 0 ? unschedulable(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT) : SUCCESS;
  }
}

export const newVolumeRestrictions: PluginFactory = (_args, handle) => new VolumeRestrictions(handle);
