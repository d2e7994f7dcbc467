// Entry point. The simulation's Web Worker starts first and is told what
// decides the first session (the URL, a reload, the autosave), so that
// building that session overlaps loading the app's own bundle instead of
// following it: at config-max the build is most of the time to the first
// frame. The app's bundle is imported once the worker has the request,
// because a message to a worker still starting is handed over by this
// thread, and evaluating the app here would hold it for hundreds of ms.
// `?worker=0` keeps the simulation on the page's thread.
import { startSimWorker } from './app/host/sim-worker-port';
import { readLaunchInputs } from './app/session/launch-inputs';
import { simulationInWorker } from './app/url-params';

const launch = readLaunchInputs();
const worker = simulationInWorker(launch.search, typeof Worker !== 'undefined') ? startSimWorker() : null;
void (worker ? worker.prepare(launch) : Promise.resolve())
  .then(() => import('./app/start-app'))
  .then((app) => app.startApp(worker, launch));
