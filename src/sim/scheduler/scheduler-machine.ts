import { processMachine } from '../kernel/process-machine';

// kube-scheduler's process lifecycle. The extension point a cycle is in is
// data on the component (Scheduler.point), advanced by the cycle itself:
// eleven XState microsteps per pod cost ~34 us, a quarter of the per-pod
// budget at 8,100 pods/s.
export const schedulerMachine = processMachine('kube-scheduler');
