import { processMachine } from '../kernel/process-machine';

// kube-apiserver's process lifecycle. Requests are served only while
// running; stopping it ends every watch, and clients find out by failing.
// The request pipeline itself is plain code (apiserver.ts): a statechart per
// request would cost more than the request.
export const apiserverMachine = processMachine('kube-apiserver');
