// The browser's simulation worker, bundled by Vite (its entry: sim-worker.ts).
// Kept apart from remote-store.ts so the page's entry can start it before the
// app's bundle has loaded.
import type { LaunchInputs } from '../session/launch-inputs';
import type { FromWorker } from './protocol';
import type { WorkerPort } from './remote-store';

export interface SimWorker extends WorkerPort {
  /** Asks the worker to build the session `launch` names; resolves once it has the request (or failed to start). */
  prepare(launch: LaunchInputs): Promise<void>;
}

export function startSimWorker(): SimWorker {
  const worker = new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module', name: 'kubeviz-simulation' });
  return {
    post: (m) => worker.postMessage(m),
    listen: (handler) => {
      worker.onmessage = (e: MessageEvent<FromWorker>) => handler(e.data);
    },
    prepare: (launch) =>
      new Promise<void>((resolve) => {
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          if (e.data.type === 'preparing') resolve();
        };
        // A worker that cannot start never answers; the app then loads anyway and shows what the boot gets.
        worker.onerror = () => resolve();
        worker.postMessage({ type: 'prepare', launch });
      }),
  };
}
