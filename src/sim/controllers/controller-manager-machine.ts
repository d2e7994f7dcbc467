import { processMachine } from '../kernel/process-machine';

// kube-controller-manager's process lifecycle. Each controller's own work
// is data on it (its queue), advanced by watch events and kernel timers.
export const controllerManagerMachine = processMachine('kube-controller-manager');
