import { describe, expect, it } from 'vitest';
import { clusterOf, kubectl, node, pod } from '../test-cluster';

const behavior = (o: object) => ({ annotations: { 'kubeviz.dev/behavior': JSON.stringify(o) } });
const row = (out: string, name: string) => out.split('\n').find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);

describe("kubectl get pods: printPod's READY, STATUS and RESTARTS", () => {
  it('a crash loop: Running after an immediate restart, then CrashLoopBackOff with "N (Xs ago)"', () => {
    // Exits 5 s after each start. Starts at 0 s, exits at 5 s and restarts at once; exits at 10 s,
    // back-off 10 s -> restarts at 20 s, exits at 25 s; back-off 20 s -> 45 s, exits at 50 s; back-off 40 s.
    const c = clusterOf([node('n1'), pod('crash', { nodeName: 'n1' }, behavior({ app: { exitAfter: '5s', exitCode: 1 } }))]);
    c.runUntil(6_000);
    expect(row(kubectl(c, 'get pods').output, 'crash')).toEqual(['crash', '1/1', 'Running', '1 (1s ago)', '6s']);
    c.runUntil(12_000);
    expect(row(kubectl(c, 'get pods').output, 'crash')).toEqual(['crash', '0/1', 'CrashLoopBackOff', '1 (2s ago)', '12s']);
    c.runUntil(60_000);
    // Three restarts; the last run ended at 50 s.
    expect(row(kubectl(c, 'get pods').output, 'crash')).toEqual(['crash', '0/1', 'CrashLoopBackOff', '3 (10s ago)', '60s']);
  });

  it('a finished container is Completed, its pod 0/1 ready', () => {
    const c = clusterOf([node('n1'), pod('once', { nodeName: 'n1', restartPolicy: 'Never' }, behavior({ app: { exitAfter: '3s', exitCode: 0 } }))]);
    c.runUntil(5_000);
    expect(row(kubectl(c, 'get pods').output, 'once')).toEqual(['once', '0/1', 'Completed', '0', '5s']);
  });

  it('a new pod: Pending while unplaced, ContainerCreating while its image pulls, Init:0/1 while an init container runs', () => {
    const c = clusterOf([node('n1')]);
    c.runUntil(1_000);
    kubectl(c, 'run web --image=nginx:1.27');
    kubectl(c, 'apply -f -', {
      stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: init\n  annotations:\n    kubeviz.dev/behavior: \'{"setup": {"exitAfter": "30s", "exitCode": 0}}\'\nspec:\n  initContainers: [{name: setup, image: busybox:1.36}]\n  containers: [{name: app, image: busybox:1.36}]\n',
    });
    // "huge" asks for more cpu than the node has (64 > 4): it stays Pending.
    kubectl(c, 'apply -f -', { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: huge}\nspec:\n  containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: "64"}}}]\n' });
    c.runUntil(3_000);
    const out = kubectl(c, 'get pods').output;
    expect(row(out, 'web')).toEqual(['web', '0/1', 'ContainerCreating', '0', '2s']);
    expect(row(out, 'init')).toEqual(['init', '0/1', 'Init:0/1', '0', '2s']);
    expect(row(out, 'huge')).toEqual(['huge', '0/1', 'Pending', '0', '2s']);
  });

  it('a pod being deleted is Terminating until its grace period is over', () => {
    const c = clusterOf([node('n1'), pod('api', { nodeName: 'n1' })]);
    c.runUntil(10_000);
    expect(kubectl(c, 'delete pod api').output).toBe('pod "api" deleted from default namespace\n');
    c.runUntil(11_000);
    expect(row(kubectl(c, 'get pods').output, 'api')).toEqual(['api', '1/1', 'Terminating', '0', '11s']);
    // `sleep` ignores SIGTERM: the kubelet kills it after terminationGracePeriodSeconds (30 s).
    c.runUntil(45_000);
    expect(kubectl(c, 'get pods').error).toBe('No resources found in default namespace.\n');
  });
});
