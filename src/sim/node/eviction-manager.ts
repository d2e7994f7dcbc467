// The kubelet's eviction manager (pkg/kubelet/eviction/eviction_manager.go),
// for the one signal the simulation has: memory.available against the
// default hard threshold memory.available<100Mi. Every 10 s (the kubelet's
// evictionMonitoringPeriod) synchronize observes the machine; while the
// threshold is met it notes the MemoryPressure node condition, records
// EvictionThresholdMet, ranks the active pods as rankMemoryPressure does
// and evicts the first one that is not critical: Failed, reason Evicted,
// a DisruptionTarget condition (TerminationByKubelet), containers killed
// with the hard threshold's grace period of 1 s. The condition stays until
// evictionPressureTransitionPeriod (5 minutes) has passed without the
// threshold being met. Admit is the eviction admit handler: under memory
// pressure only BestEffort pods that do not tolerate the memory-pressure
// taint are rejected.
//
// Where we simplify: a filled machine stays filled until freeMemory, since
// the simulation's "fill" is not a pod's doing; so the manager evicts one
// pod per cycle for as long as the fault lasts, which shows the ranking
// order. Upstream, after an eviction, waits for the pod to be cleaned up
// (polling every 1 s, at most 30 s) and synchronizes again at once; here
// the next eviction waits for the next 10 s cycle.
import { TAINT_NODE_MEMORY_PRESSURE } from '../api/taints';
import type { Pod } from 'kubernetes-types/core/v1';
import { podQOSClass } from '../api/qos';
import { tolerationsTolerateTaint } from '../api/taints';
import type { EventRecorder } from '../client/event-recorder';
import type { Kernel, Timer } from '../kernel/kernel';
import type { AdmitResult } from './kubelet-admission';
import { EVICTED, isCriticalPod, memoryEvictionMessage, podMemory, rankMemoryPressure, type ContainerMemory, type PodMemory } from './eviction-helpers';

/** evictionMonitoringPeriod. */
export const EVICTION_MONITORING_PERIOD_MS = 10_000;
/** evictionPressureTransitionPeriod's default. */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;
/** immediateEvictionGracePeriodSeconds: the grace a hard threshold gives. */
export const IMMEDIATE_EVICTION_GRACE_SECONDS = 1;
/** memory.available while the machine is filled: 45248Ki (about 44Mi), below the 100Mi threshold. */
export const FILLED_MEMORY_AVAILABLE_BYTES = 45_248 * 1024;
const MEMORY_PRESSURE_TAINT = { key: TAINT_NODE_MEMORY_PRESSURE, effect: 'NoSchedule' as const };

/** A pod the kubelet runs that could be evicted (GetActivePods). */
export interface ActivePod {
  pod: Pod;
  containers: ContainerMemory[];
}

export interface EvictionManagerDeps {
  kernel: Kernel;
  nodeName: string;
  /** The machine's memory is filled (the fault): memory.available is below the threshold. */
  memoryFilled(): boolean;
  /** The pods that could be evicted now, in the kubelet's order. */
  activePods(): ActivePod[];
  /** killPodFunc with the eviction's status: true when the pod is being killed. */
  evict(pod: Pod, message: string, graceSeconds: number): boolean;
  recorder(): EventRecorder;
}

export class EvictionManager {
  private timer?: Timer;
  /** nodeConditionsLastObservedAt for MemoryPressure. */
  private pressureLastObservedAt?: number;
  /** m.nodeConditions holds MemoryPressure. */
  private pressure = false;
  evictions = 0;

  constructor(private readonly d: EvictionManagerDeps) {}

  get underMemoryPressure(): boolean {
    return this.pressure;
  }

  /** Start the monitoring loop: the first synchronize now, then every 10 s. */
  start(): void {
    this.stop();
    this.tick();
  }

  /** The process ended: what the manager observed goes with it. */
  stop(): void {
    this.d.kernel.cancel(this.timer);
    this.timer = undefined;
    this.pressure = false;
    this.pressureLastObservedAt = undefined;
  }

  /** Made once: the loop reschedules it every 10 s on every node. */
  private readonly onTick = () => this.tick();

  private tick(): void {
    this.synchronize();
    this.timer = this.d.kernel.after(EVICTION_MONITORING_PERIOD_MS, 'kubelet.eviction', this.onTick);
  }

  /** synchronize: observe, update the node condition, and evict at most one pod. */
  synchronize(): void {
    const now = this.d.kernel.now;
    const met = this.d.memoryFilled();
    if (met) this.pressureLastObservedAt = now;
    // nodeConditionsObservedSince: reported while last observed less than the transition period ago.
    this.pressure = this.pressureLastObservedAt !== undefined && now - this.pressureLastObservedAt < PRESSURE_TRANSITION_PERIOD_MS;
    if (!met) return;
    const ref = { kind: 'Node', apiVersion: 'v1', metadata: { name: this.d.nodeName, uid: this.d.nodeName } };
    this.d.recorder().event(ref, 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory');
    const candidates = this.d.activePods().map((a) => ({ pod: a.pod, memory: podMemory(a.pod, a.containers) }));
    for (const c of rankMemoryPressure(candidates)) {
      if (this.evictPod(c.pod, c.memory)) return;
    }
  }

  /** evictPod: never a critical pod (static pods are not re-admitted after an eviction). */
  private evictPod(pod: Pod, memory: PodMemory): boolean {
    if (isCriticalPod(pod)) return false;
    const message = memoryEvictionMessage(memory, FILLED_MEMORY_AVAILABLE_BYTES);
    this.d.recorder().event({ ...pod, kind: 'Pod', apiVersion: 'v1' }, 'Warning', EVICTED, message);
    if (!this.d.evict(pod, message, IMMEDIATE_EVICTION_GRACE_SECONDS)) return false;
    this.evictions++;
    return true;
  }

  /** Admit: the eviction admit handler, which runs before the predicate checks. */
  admit(pod: Pod): AdmitResult {
    if (!this.pressure || isCriticalPod(pod)) return { admit: true };
    if (podQOSClass(pod) !== 'BestEffort') return { admit: true };
    if (tolerationsTolerateTaint(pod.spec?.tolerations, MEMORY_PRESSURE_TAINT)) return { admit: true };
    return { admit: false, reason: EVICTED, message: 'The node had condition: [MemoryPressure]. ' };
  }
}
