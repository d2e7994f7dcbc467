import { processMachine } from '../kernel/process-machine';

// cloud-controller-manager's process lifecycle (running / stopped). Each
// controller's work is data on it (queues, timers), advanced by watch events
// and kernel timers, as in kube-controller-manager.
export const cloudControllerManagerMachine = processMachine('cloud-controller-manager');
