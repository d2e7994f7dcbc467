import { setup } from 'xstate';

// kube-apiserver's process lifecycle. Requests are served only while
// running; stopping it ends every watch, and clients find out by failing.
// The request pipeline itself is plain code (apiserver.ts): a statechart per
// request would cost more than the request.
export const apiserverMachine = setup({
  types: { events: {} as { type: 'component.stop' } | { type: 'component.start' } },
}).createMachine({
  id: 'kube-apiserver',
  initial: 'running',
  states: {
    running: { on: { 'component.stop': 'stopped' } },
    stopped: { on: { 'component.start': 'running' } },
  },
});
