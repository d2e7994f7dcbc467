// Rewind (issue 7): how long it takes to show the cluster as it was at a
// random instant of a one-hour session, from checkpoints built beforehand
// (as the app builds them while idle). Printed as median and max over a
// fixed set of instants (a seeded sequence, so runs compare). `fillMs` is
// the background work to build the first full set of checkpoints.
import { History, type HistoryOptions } from '../src/scenario/history';
import type { Action } from '../src/sim/model';

/** What the app builds its sessions with (src/app/store/cluster-store.ts UI_CLUSTER_OPTIONS): a short trace. */
const APP_OPTIONS: HistoryOptions = { traceCapacity: 5_000 };

export interface RewindFigures {
  medianMs: number;
  maxMs: number;
  fillMs: number;
  checkpoints: number;
}

/** A session of `durationMs` with a fault and a scale every few minutes, then `samples` rewinds. */
export function measureRewind(scenario: string, durationMs: number, samples: number, actions: (i: number) => Action, options: HistoryOptions = APP_OPTIONS): RewindFigures {
  const h = new History(scenario, options);
  const step = 4 * 60_000;
  for (let t = step, i = 0; t < durationMs; t += step, i++) {
    h.runUntil(t);
    h.act(actions(i));
  }
  h.runUntil(durationMs);
  const f0 = performance.now();
  while (h.fill(60_000));
  const fillMs = performance.now() - f0;
  // A small LCG: the same instants every run.
  let x = 12345;
  const instants = Array.from({ length: samples }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % durationMs;
  });
  const times: number[] = [];
  for (const t of instants) {
    // The app refills consumed checkpoints while idle; a user's next scrub finds them there.
    while (h.fill(60_000));
    const t0 = performance.now();
    h.seek(t);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], maxMs: times[times.length - 1], fillMs, checkpoints: h.checkpointInstants().length };
}

/** The default scenario's faults: a node powered off and on again, the web Deployment scaled up and down. */
export function defaultActions(i: number): Action {
  const cycle: Action[] = [
    { action: 'powerOff', node: 'node-2' },
    { action: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 6 },
    { action: 'powerOn', node: 'node-2' },
    { action: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 3 },
  ];
  return cycle[i % cycle.length];
}

/** bigScenario's faults: a different node each time, stopped and started, and the web Deployment scaled. */
export function bigActions(nodes: number): (i: number) => Action {
  const name = (n: number) => `node-${String(n).padStart(String(nodes).length, '0')}`;
  return (i) => {
    const node = name(((i >> 1) * 37) % nodes + 1);
    if (i % 4 === 0) return { action: 'stopKubelet', node };
    if (i % 4 === 1) return { action: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: nodes * 4 + 100 };
    if (i % 4 === 2) return { action: 'startKubelet', node: name((((i - 2) >> 1) * 37) % nodes + 1) };
    return { action: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: nodes * 4 };
  };
}

/** Node names in the 500-node bench scenario, for its faults. */
export function bigScenario(nodes: number): string {
  return `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: rewind-${nodes}}
spec:
  seed: 5
  nodePools:
  - name: node
    count: ${nodes}
    zones: [zone-a, zone-b, zone-c]
    template:
      status: {capacity: {cpu: "8", memory: 32Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${nodes * 4}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources: {requests: {cpu: 250m, memory: 128Mi}}
`;
}
