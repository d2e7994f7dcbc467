// The machines under the nodes: powered or not, kubelet running or not,
// network to the control plane up or cut. Faults change only this; the node
// agents read it and the rest of the cluster finds out through missed
// heartbeats, as in Kubernetes (or, for a full memory, through the
// kubelet's own eviction manager).
import type { NodeFaultVerb } from '../model';

export interface MachineState {
  powered: boolean;
  kubeletRunning: boolean;
  /** Cut off from the apiserver while still running. */
  partitioned: boolean;
  /**
   * Its memory is filled (fillMemory): memory.available is below the
   * kubelet's hard eviction threshold until freeMemory, or a reboot empties it.
   */
  memoryPressure: boolean;
}

export class Machines {
  private states = new Map<string, MachineState>();

  get(node: string): MachineState {
    return this.states.get(node) ?? { powered: true, kubeletRunning: true, partitioned: false, memoryPressure: false };
  }

  apply(node: string, verb: NodeFaultVerb): MachineState {
    const s = { ...this.get(node) };
    switch (verb) {
      case 'powerOff':
        s.powered = false;
        break;
      case 'powerOn':
        s.powered = true;
        s.kubeletRunning = true;
        s.memoryPressure = false;
        break;
      case 'stopKubelet':
        s.kubeletRunning = false;
        break;
      case 'startKubelet':
        s.kubeletRunning = true;
        break;
      case 'partition':
        s.partitioned = true;
        break;
      case 'heal':
        s.partitioned = false;
        break;
      case 'fillMemory':
        s.memoryPressure = true;
        break;
      case 'freeMemory':
        s.memoryPressure = false;
        break;
    }
    this.states.set(node, s);
    return s;
  }

  /** Machines that are not in their healthy default state, for hashing and display. */
  faulted(): Array<[string, MachineState]> {
    return [...this.states.entries()].filter(([, s]) => !s.powered || !s.kubeletRunning || s.partitioned || s.memoryPressure).sort(([a], [b]) => (a < b ? -1 : 1));
  }
}
