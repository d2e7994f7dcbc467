import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const example = (name: string) => fileURLToPath(new URL(`../scenario/examples/${name}`, import.meta.url));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Two nodes, metrics-server on, and a pod that uses 300m on node-1 (its 100Mi request for memory). */
const SCENARIO = `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: top}
spec:
  seed: 3
  addons: {metricsServer: true}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {capacity: {cpu: "2", memory: 8Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
status: {capacity: {cpu: "2", memory: 8Gi, pods: "110"}}
---
apiVersion: v1
kind: Pod
metadata:
  name: busy
  annotations: {kubeviz.dev/behavior: '{"app": {"cpu": "300m"}}'}
spec:
  nodeName: node-1
  containers:
  - name: app
    image: busybox:1.36
    resources: {requests: {cpu: 500m, memory: 100Mi}}
`;

function scenarioFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubeviz-metrics-')), 'top.yaml');
  writeFileSync(file, text);
  return file;
}

describe('sim kubectl FILE --until DURATION -- top ...', () => {
  it('top nodes after 2 minutes: usage against allocatable', () => {
    const r = run('kubectl', scenarioFile(SCENARIO), '--until', '2m', '--', 'top', 'nodes');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ');
    // node-1: 300m + 100m overhead = 400m of 2000m (20%); 100Mi + 512Mi = 612Mi of 8192Mi (7.47% -> 7%).
    expect(lines[1]).toBe('node-1   400m         20%      612Mi           7%          ');
    // node-2 runs metrics-server: 100m overhead plus its own 30-50m; 512Mi + its 200Mi request = 712Mi (8.69% -> 8%).
    expect(lines[2]).toMatch(/^node-2 {3}1[3-5]\dm {9}[67]% {7}712Mi {11}8% {10}$/);
  });

  it('top pod in the gallery scenario resource-usage: hog uses 900m on a 200m request, capped is held at its 500m limit', () => {
    const r = run('kubectl', example('resource-usage.yaml'), '--until', '3m', '--', 'top', 'pods', 'hog', 'capped');
    // One NAME at a time, as kubectl top pod takes.
    expect(r).toMatchObject({ code: 1, err: "error: pod [NAME | -l label]\nSee 'kubectl top pod --help' for usage." });
    const hog = run('kubectl', example('resource-usage.yaml'), '--until', '3m', '--', 'top', 'pod', 'hog', '--containers');
    // At 3 minutes hog's memory has grown to 300Mi (its behavior's memoryAfter: 2m).
    expect(hog).toEqual({ code: 0, out: 'POD   NAME   CPU(cores)   MEMORY(bytes)   \nhog   app    900m         300Mi           ', err: '' });
    const capped = run('kubectl', example('resource-usage.yaml'), '--until', '3m', '--', 'top', 'pod', 'capped');
    expect(capped.out).toBe('NAME     CPU(cores)   MEMORY(bytes)   \ncapped   500m         64Mi            ');
  });

  it('without the addon: Metrics API not available, exit code 1', () => {
    const r = run('kubectl', example('nodes-and-pods.yaml'), '--until', '30s', '--', 'top', 'nodes');
    expect(r).toEqual({ code: 1, out: '', err: 'error: Metrics API not available' });
  });
});
