// VolumeZone: a pod whose bound PersistentVolumes carry zone or region
// labels goes only to nodes with the same labels. Upstream:
// pkg/scheduler/framework/plugins/volumezone/volume_zone.go. It reads the
// PV's labels (topology.kubernetes.io/zone and region, and their deprecated
// failure-domain.beta names, values split on "__"), not its node affinity,
// which is VolumeBinding's to check; unbound WaitForFirstConsumer claims are
// skipped. A node with no topology label at all passes (a one-zone cluster).
import type { PersistentVolume, Pod } from '../../api/types';
import { claimClass, podClaimNames, podHasClaims } from '../../api/persistent-volume-helpers';
import type { PluginFactory } from '../framework/registry';
import { SKIP, SUCCESS, unresolvable, type Status } from '../framework/status';
import type { CycleState, FilterPlugin, Handle, NodeInfo, PreFilterPlugin, StateData } from '../framework/types';

export const VOLUME_ZONE = 'VolumeZone';
export const ERR_REASON_VOLUME_ZONE_CONFLICT = 'node(s) had no available volume zone';
const STATE_KEY = 'PreFilter' + VOLUME_ZONE;

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';
const TOPOLOGY_LABELS = [BETA_ZONE, BETA_REGION, ZONE, REGION];
/** cloudvolume.LabelMultiZoneDelimiter. */
const MULTI_ZONE_DELIMITER = '__';

const translateToGALabel = (label: string) => (label === BETA_REGION ? REGION : label === BETA_ZONE ? ZONE : label);

interface PVTopology {
  pvName: string;
  key: string;
  values: Set<string>;
}

class VolumeZoneState implements StateData {
  constructor(readonly topologies: PVTopology[]) {}
  clone(): StateData {
    return this;
  }
}

/** LabelZonesToSet: "a__b" is {a, b}; an empty member makes the label unreadable (ignored). */
function labelZonesToSet(value: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const z of value.split(MULTI_ZONE_DELIMITER)) {
    const t = z.trim();
    if (!t) return undefined;
    out.add(t);
  }
  return out;
}

/** getPVTopologies: the volume's topology labels. */
export function pvTopologies(pv: PersistentVolume): PVTopology[] {
  const out: PVTopology[] = [];
  for (const key of TOPOLOGY_LABELS) {
    const v = pv.metadata?.labels?.[key];
    if (v === undefined) continue;
    const values = labelZonesToSet(v);
    if (values) out.push({ pvName: pv.metadata!.name!, key, values });
  }
  return out;
}

class VolumeZone implements PreFilterPlugin, FilterPlugin {
  readonly name = VOLUME_ZONE;

  constructor(private readonly handle: Handle) {}

  /** getPVbyPod: the topologies of the pod's bound volumes, or why the pod can not be placed at all. */
  private topologiesOf(pod: Pod): { topologies?: PVTopology[]; status?: Status } {
    const listers = this.handle.volumeListers?.();
    const ns = pod.metadata?.namespace ?? 'default';
    const out: PVTopology[] = [];
    for (const name of podClaimNames(pod)) {
      if (!name) return { status: unresolvable('PersistentVolumeClaim had no name') };
      const pvc = listers?.claim(ns, name);
      if (!pvc) return { status: unresolvable(`persistentvolumeclaim "${name}" not found`) };
      const pvName = pvc.spec?.volumeName;
      if (!pvName) {
        const scName = claimClass(pvc);
        if (!scName) return { status: unresolvable('PersistentVolumeClaim had no pv name and storageClass name') };
        const sc = listers?.storageClass(scName);
        if (!sc) return { status: unresolvable(`storageclass.storage.k8s.io "${scName}" not found`) };
        if (sc.volumeBindingMode == null) return { status: unresolvable(`VolumeBindingMode not set for StorageClass "${scName}"`) };
        // Unbound WaitForFirstConsumer claims get their volume where the pod goes.
        if (sc.volumeBindingMode === 'WaitForFirstConsumer') continue;
        return { status: unresolvable('PersistentVolume had no name') };
      }
      const pv = listers?.volume(pvName);
      if (!pv) return { status: unresolvable(`persistentvolume "${pvName}" not found`) };
      out.push(...pvTopologies(pv));
    }
    return { topologies: out };
  }

  preFilter(state: CycleState, pod: Pod) {
    if (!podHasClaims(pod)) return { status: SKIP };
    const { topologies, status } = this.topologiesOf(pod);
    if (status) return { status };
    if (!topologies!.length) return { status: SKIP };
    state.write(STATE_KEY, new VolumeZoneState(topologies!));
    return { status: SUCCESS };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (!pod.spec?.volumes?.length) return SUCCESS;
    let topologies = state.read<VolumeZoneState>(STATE_KEY)?.topologies;
    if (!topologies) {
      const r = this.topologiesOf(pod);
      if (r.status) return r.status;
      topologies = r.topologies!;
    }
    const labels = nodeInfo.node.metadata?.labels ?? {};
    // A node without topology labels: a one-zone cluster, where any volume is reachable.
    if (!TOPOLOGY_LABELS.some((k) => k in labels)) return SUCCESS;
    for (const t of topologies) {
      const v = labels[t.key] ?? labels[translateToGALabel(t.key)];
      if (v === undefined || !t.values.has(v)) return unresolvable(ERR_REASON_VOLUME_ZONE_CONFLICT);
    }
    return SUCCESS;
  }
}

export const newVolumeZone: PluginFactory = (_args, handle) => new VolumeZone(handle);
