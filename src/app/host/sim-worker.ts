// The Web Worker's entry: the simulation runs here, off the main thread
// (sim-server.ts); the page talks to it through remote-store.ts.
/// <reference lib="webworker" />
import type { ToWorker } from './protocol';
import { SimServer } from './sim-server';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const server = new SimServer((message) => scope.postMessage(message), {
  now: () => performance.now(),
  later: (fn, ms) => void setTimeout(fn, ms),
});
scope.onmessage = (e: MessageEvent<ToWorker>) => server.handle(e.data);
