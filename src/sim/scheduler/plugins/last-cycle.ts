// A plugin's per-cycle value kept on the plugin (see LastCycle).
import type { Pod } from '../../api/types';
import type { CycleState } from '../framework/types';

/**
 * The value a plugin derived for the cycle it last saw, so Score, called once
 * per node, skips the CycleState lookup. Keyed by the CycleState and pod
 * objects: a clone (preemption's what-if) or another pod misses and reads the state.
 */
export class LastCycle<T> {
  private state: CycleState | undefined;
  private pod: Pod | undefined;
  private value: T | undefined;

  get(state: CycleState, pod: Pod): T | undefined {
    return state === this.state && pod === this.pod ? this.value : undefined;
  }

  remember(state: CycleState, pod: Pod, value: T): void {
    this.state = state;
    this.pod = pod;
    this.value = value;
  }
}
