// Rewind (issue 7): how long it takes to show the cluster as it was at a
// random instant of a one-hour session, from checkpoints built beforehand
// (as the app builds them while idle). Printed as median and max over a
// fixed set of instants (a seeded sequence, so runs compare). `fillMs` is
// the background work to build the first full set of checkpoints.
import { History } from '../src/scenario/history';
import type { Action } from '../src/sim/model';

export interface RewindFigures {
  medianMs: number;
  maxMs: number;
  fillMs: number;
  checkpoints: number;
}

/** A session of `durationMs` with a fault and a scale every few minutes, then `samples` rewinds. */
export function measureRewind(scenario: string, durationMs: number, samples: number, actions: (i: number) => Action): RewindFigures {
  const h = new History(scenario);
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
