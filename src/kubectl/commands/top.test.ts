import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import { createCluster, type Cluster } from '../../sim/cluster';
import { emptyScenario } from '../../sim/model';
import { runKubectl } from '../run';
import { node } from '../test-cluster';

/** 250m of CPU from t=0 on node-1 with 64Mi (its memory request): node-1 is then 250m + 100m overhead, 64Mi + 512Mi. */
const hog: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'hog', namespace: 'default', annotations: { 'kubeviz.dev/behavior': '{"app": {"cpu": "250m"}, "side": {"cpu": "20m"}}' } },
  spec: {
    nodeName: 'node-1',
    containers: [
      { name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '500m', memory: '64Mi' } } },
      { name: 'side', image: 'busybox:1.36', resources: { requests: { memory: '32Mi' } } },
    ],
  },
};

function cluster(metricsServer = true): Cluster {
  return createCluster({ ...emptyScenario(), objects: [node('node-1'), node('node-2'), hog], addons: { dns: false, metricsServer } });
}

const run = (c: Cluster, line: string) => {
  const r = runKubectl(c, line);
  return { out: r.output, err: r.error ?? '', code: r.exitCode };
};

describe('kubectl top', () => {
  it('top node: CPU in m (rounded up), memory in Mi, percentages of allocatable (truncated)', () => {
    const c = cluster();
    c.runUntil(40_000);
    // 250m + 20m + 100m = 370m of 4000m: 9.25% -> 9%. 64Mi + 32Mi + 512Mi = 608Mi of 16384Mi: 3.7% -> 3%.
    expect(run(c, 'top node node-1')).toEqual({
      out: ['NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ', 'node-1   370m         9%       608Mi           3%          ', ''].join('\n'),
      err: '',
      code: 0,
    });
    const all = run(c, 'top nodes').out.split('\n');
    expect(all[0]).toBe('NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ');
    expect(all[1]).toBe('node-1   370m         9%       608Mi           3%          ');
    // node-2 runs metrics-server (100m overhead + its default ~40m): 712Mi = 512Mi + its 200Mi request.
    expect(all[2]).toMatch(/^node-2 {3}1[2-5]\dm {9}3% {7}712Mi {11}4% {10}$/);
  });

  it('top pod: pods of the namespace by name, --containers per container, -A with the NAMESPACE column', () => {
    const c = cluster();
    c.runUntil(40_000);
    expect(run(c, 'top pods')).toEqual({ out: 'NAME   CPU(cores)   MEMORY(bytes)   \nhog    270m         96Mi            \n', err: '', code: 0 });
    expect(run(c, 'top pod hog --containers').out).toBe(['POD   NAME   CPU(cores)   MEMORY(bytes)   ', 'hog   app    250m         64Mi            ', 'hog   side   20m          32Mi            ', ''].join('\n'));
    const all = run(c, 'top pods -A --sort-by=memory').out.split('\n');
    expect(all[0]).toBe('NAMESPACE     NAME                              CPU(cores)   MEMORY(bytes)   ');
    // metrics-server's 200Mi before hog's 96Mi.
    expect(all[1]).toMatch(/^kube-system {3}metrics-server-\S+ {3}\d+m +200Mi +$/);
    expect(all[2]).toMatch(/^default {7}hog +270m +96Mi +$/);
    expect(run(c, 'top pods --no-headers -l app=none')).toEqual({ out: '', err: 'No resources found in default namespace.\n', code: 0 });
  });

  it("upstream's errors: no Metrics API, metrics-server not Ready, no metrics yet, and a pod old enough to have them", () => {
    expect(run(cluster(false), 'top nodes')).toEqual({ out: '', err: 'error: Metrics API not available\n', code: 1 });
    const c = cluster();
    c.runUntil(10_000);
    expect(run(c, 'top nodes').err).toBe('Error from server (ServiceUnavailable): the server is currently unable to handle the request (get nodes.metrics.k8s.io)\n');
    expect(run(c, 'top pod hog').err).toBe('Error from server (ServiceUnavailable): the server is currently unable to handle the request (get pods.metrics.k8s.io hog)\n');
    // Ready at about 23 s, one scrape (15 s) so far: nothing has two points.
    c.runUntil(25_000);
    expect(run(c, 'top nodes').err).toBe('error: metrics not available yet\n');
    expect(run(c, 'top pods').err).toBe('error: metrics not available yet\n');
    expect(run(c, 'top pod hog').err).toBe('Error from server (NotFound): podmetrics.metrics.k8s.io "default/hog" not found\n');
    expect(run(c, 'top node nope').err).toBe('Error from server (NotFound): node "nope" not found\n');
    expect(run(c, 'top nodes --sort-by=disk').err).toBe('error: --sort-by accepts only cpu or memory\n');

    // node-1's kubelet stops answering: hog (3 minutes old) has no metrics any more, node-1's row is <unknown>.
    c.act({ action: 'stopKubelet', node: 'node-1' });
    c.runUntil(200_000);
    expect(run(c, 'top pods').err).toBe('error: Metrics not available for pod default/hog, age: 3m20s\n');
    expect(run(c, 'top nodes').out.split('\n')[2]).toBe('node-1   <unknown>    <unknown>   <unknown>       <unknown>   ');
  });
});
