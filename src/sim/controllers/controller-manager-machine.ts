import { setup } from 'xstate';

// kube-controller-manager's process lifecycle. Each controller's own work
// is data on it (its queue), advanced by watch events and kernel timers.
export const controllerManagerMachine = setup({
  types: { events: {} as { type: 'component.stop' } | { type: 'component.start' } },
}).createMachine({
  id: 'kube-controller-manager',
  initial: 'running',
  states: {
    running: { on: { 'component.stop': 'stopped' } },
    stopped: { on: { 'component.start': 'running' } },
  },
});
