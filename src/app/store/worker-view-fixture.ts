// A worker view as tests write one: a Ready node with these pods (named
// <node>-0, <node>-1, ... in namespace default). For the canvas's tests,
// which draw views without building a cluster.
import { PHASE_CHAR, type PodTokenPhase, type WorkerView } from './worker-views';

export function workerViewFixture(name: string, phases: readonly PodTokenPhase[] = [], extra: Partial<WorkerView> = {}): WorkerView {
  return {
    name,
    ready: 'Ready',
    problems: [],
    taints: [],
    cordoned: false,
    cpu: { requested: 0, allocatable: 4000 },
    memory: { requested: 0, allocatable: 0 },
    pods: { requested: phases.length, allocatable: 110 },
    podKeys: phases.map((_, i) => `default/${name}-${i}`).join('\n'),
    podPhases: phases.map((p) => PHASE_CHAR[p]).join(''),
    ...extra,
  };
}
