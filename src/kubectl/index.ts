// A kubectl for the simulated cluster: the same commands, flags, tables,
// descriptions and error messages as kubectl v1.34, with every change made
// through the scenario's timeline verbs (cluster.act) so it is recorded in
// the action log and replays. Pure TypeScript: it runs in the browser
// console panel, in Vitest and in the CLI alike. See README.md.
export { runKubectl, type KubectlInput, type KubectlOptions } from './run';
export { watchKubectl, type KubectlWatch } from './watch';
export { completeKubectl } from './complete';
export type { KubectlActor, KubectlResult } from './result';
