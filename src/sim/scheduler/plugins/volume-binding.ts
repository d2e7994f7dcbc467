// VolumeBinding: a pod's PersistentVolumeClaims must be bound, or bindable
// on the node, before it goes there. Upstream:
// pkg/scheduler/framework/plugins/volumebinding/volume_binding.go (v1.30).
//
// PreFilter refuses a pod whose Immediate claims the PV controller has not
// bound yet ("pod has unbound immediate PersistentVolumeClaims"); Filter
// checks per node that bound volumes are reachable (node affinity) and that
// every WaitForFirstConsumer claim can get a pre-created volume or be
// provisioned there; Reserve assumes the choice; PreBind writes it (the PV
// pre-bound to the claim, or the claim's volume.kubernetes.io/selected-node)
// and waits, polling every second for up to bindTimeoutSeconds (600), until
// the PV controller has bound every claim. Scoring needs the
// VolumeCapacityPriority / StorageCapacityScoring gates, off by default, so
// PreScore skips. In kubeviz PreBind's wait is a 'Wait' status the
// scheduler answers by polling again one second later (scheduler.ts).
import type { Pod } from '../../api/types';
import { podClaimNames, podHasClaims } from '../../api/persistent-volume-helpers';
import { invalid } from '../../api/field-errors';
import type { PluginFactory } from '../framework/registry';
import { error, SKIP, status, SUCCESS, unresolvable, type Status } from '../framework/status';
import type { CycleState, FilterPlugin, Handle, NodeInfo, PreBindPlugin, PreFilterPlugin, PreScorePlugin, ReservePlugin, ScorePlugin, StateData } from '../framework/types';
import { ArgsDecoder, throwArgsErrors } from './node-resources-fit';
import { VolumeBinder, VolumeBinderError, type PodVolumeClaims, type PodVolumes } from './volume-binder';

export const VOLUME_BINDING = 'VolumeBinding';
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** VolumeBindingArgs.bindTimeoutSeconds' default. */
export const DEFAULT_BIND_TIMEOUT_SECONDS = 600;
/** PreBind's poll interval (BindPodVolumes polls every second). */
export const BIND_POLL_MS = 1000;

const STATE_KEY = VOLUME_BINDING;
const WAIT: Status = Object.freeze(status('Wait'));

/** Cycle state, shared (not copied) across clones as upstream's pointer is. */
class VolumeBindingState implements StateData {
  allBound = false;
  readonly podVolumesByNode = new Map<string, PodVolumes>();
  /** PreBind made its API writes; the polls since. */
  apiUpdated = false;
  polls = 0;

  constructor(readonly claims?: PodVolumeClaims) {}

  clone(): StateData {
    return this;
  }
}

export interface VolumeBindingArgs {
  bindTimeoutSeconds: number;
}

export function parseVolumeBindingArgs(raw: Record<string, unknown> | undefined): VolumeBindingArgs {
  const d = new ArgsDecoder();
  const root = d.object(raw, '', ['bindTimeoutSeconds', 'shape']) ?? {};
  const bindTimeoutSeconds = root.bindTimeoutSeconds === undefined ? DEFAULT_BIND_TIMEOUT_SECONDS : d.integer(root.bindTimeoutSeconds, 'bindTimeoutSeconds');
  if (d.errors.length) throwArgsErrors(VOLUME_BINDING, d.errors);
  const errs = [];
  if (bindTimeoutSeconds < 0) errs.push(invalid('bindTimeoutSeconds', bindTimeoutSeconds, 'invalid BindTimeoutSeconds, should not be a negative value'));
  if (root.shape !== undefined) errs.push(invalid('shape', root.shape, 'unsupported when VolumeCapacityPriority feature is disabled'));
  if (errs.length) throwArgsErrors(VOLUME_BINDING, errs);
  return { bindTimeoutSeconds };
}

const asError = (e: unknown, prefix = ''): Status => {
  if (e instanceof VolumeBinderError) return error(prefix + e.message);
  throw e;
};

class VolumeBinding implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ReservePlugin, PreBindPlugin {
  readonly name = VOLUME_BINDING;
  readonly binder: VolumeBinder;

  constructor(
    private readonly handle: Handle,
    private readonly args: VolumeBindingArgs,
  ) {
    this.binder = new VolumeBinder(() => handle.volumeListers?.());
  }

  /** podHasPVCs: each claim must exist, not be Lost, not be being deleted. */
  private checkClaims(pod: Pod): Status | undefined {
    const listers = this.handle.volumeListers?.();
    const ns = pod.metadata?.namespace ?? 'default';
    for (const name of podClaimNames(pod)) {
      const pvc = listers?.claim(ns, name);
      if (!pvc) return unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (pvc.status?.phase === 'Lost') return unresolvable(`persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"`);
      if (pvc.metadata?.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
    }
    return undefined;
  }

  preFilter(state: CycleState, pod: Pod) {
    if (!podHasClaims(pod)) {
      state.write(STATE_KEY, new VolumeBindingState());
      return { status: SKIP };
    }
    const bad = this.checkClaims(pod);
    if (bad) return { status: bad };
    let claims: PodVolumeClaims;
    try {
      claims = this.binder.getPodVolumeClaims(pod);
    } catch (e) {
      return { status: asError(e) };
    }
    // The PV controller binds these; the pod is moved back to the queue when it has.
    if (claims.unboundImmediate.length) return { status: unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
    state.write(STATE_KEY, new VolumeBindingState(claims));
    return { status: SUCCESS };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<VolumeBindingState>(STATE_KEY);
    if (!s?.claims) return error(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    let found;
    try {
      found = this.binder.findPodVolumes(s.claims, nodeInfo.node);
    } catch (e) {
      return asError(e);
    }
    if (found.reasons.length) return unresolvable(...found.reasons);
    s.podVolumesByNode.set(nodeInfo.name, found.podVolumes);
    return SUCCESS;
  }

  preScore(): Status {
    return SKIP;
  }

  score(): number {
    return 0;
  }

  reserve(state: CycleState, pod: Pod, nodeName: string): Status {
    const s = state.read<VolumeBindingState>(STATE_KEY);
    if (!s) return error(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (!podVolumes) {
      // The pod references no claim.
      s.allBound = true;
      return SUCCESS;
    }
    try {
      s.allBound = this.binder.assumePodVolumes(pod, nodeName, podVolumes);
    } catch (e) {
      return asError(e);
    }
    return SUCCESS;
  }

  unreserve(state: CycleState, _pod: Pod, nodeName: string): void {
    const podVolumes = state.read<VolumeBindingState>(STATE_KEY)?.podVolumesByNode.get(nodeName);
    if (podVolumes) this.binder.revert(podVolumes);
  }

  /** First call: the API writes; later calls (one per second): done, still waiting, or failed. */
  preBind(state: CycleState, pod: Pod, nodeName: string): Status {
    const s = state.read<VolumeBindingState>(STATE_KEY);
    if (!s) return error(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    if (s.allBound) return SUCCESS;
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (!podVolumes) return error(`no pod volumes found for node "${nodeName}"`);
    if (!s.apiUpdated) {
      try {
        this.binder.bindAPIUpdate(podVolumes);
      } catch (e) {
        return asError(e);
      }
      s.apiUpdated = true;
      return WAIT;
    }
    s.polls++;
    const node = this.handle.snapshot().get(nodeName)?.node;
    if (!node) return error(`binding volumes: failed to get node "${nodeName}": node "${nodeName}" not found`);
    try {
      if (this.binder.checkBindings(pod, podVolumes, node)) return SUCCESS;
    } catch (e) {
      return asError(e, 'binding volumes: ');
    }
    return s.polls * BIND_POLL_MS >= this.args.bindTimeoutSeconds * 1000 ? error('binding volumes: context deadline exceeded') : WAIT;
  }
}

export const newVolumeBinding: PluginFactory = (args, handle) => new VolumeBinding(handle, parseVolumeBindingArgs(args));
