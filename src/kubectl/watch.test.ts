import { describe, expect, it } from 'vitest';
import { clusterOf, kubectl, node, pod } from './test-cluster';
import { watchKubectl } from './watch';

describe('watchKubectl: get -w', () => {
  it('prints the table, then one row per change without the header, aligned to it', () => {
    const c = clusterOf([node('n1'), pod('api', { nodeName: 'n1' })]);
    c.runUntil(10_000);
    const w = watchKubectl(c, 'get pods -w');
    expect(w.initial.output).toBe('NAME   READY   STATUS    RESTARTS   AGE\napi    1/1     Running   0          10s\n');
    expect(w.next()).toBe('');
    kubectl(c, 'delete pod api');
    c.runUntil(11_000);
    // The deletion sets deletionTimestamp: MODIFIED, printed with the header's widths (NAME 7, READY 8, ...).
    expect(w.next()).toBe('api    1/1     Terminating   0          11s\n');
    c.runUntil(50_000);
    // The kubelet stops the container, reports it, then the pod is removed: each change is a row.
    const rows = w.next().trim().split('\n');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.startsWith('api    '))).toBe(true);
    expect(w.done).toBe(false);
  });

  it('follows only what was asked: a label selector, one name, a namespace', () => {
    const c = clusterOf([node('n1'), pod('a', { nodeName: 'n1' }, { labels: { app: 'a' } })]);
    c.runUntil(5_000);
    const w = watchKubectl(c, 'get pods -l app=b -w');
    expect(w.initial).toMatchObject({ output: '', exitCode: 0 });
    kubectl(c, 'run b --image=nginx:1.27 --labels=app=b');
    kubectl(c, 'run other --image=nginx:1.27');
    c.runUntil(6_000);
    const rows = w.next().trim().split('\n');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.startsWith('b '))).toBe(true);
  });

  it('-o name prints the name of each changed object', () => {
    const c = clusterOf([node('n1')]);
    const w = watchKubectl(c, 'get nodes -w -o name');
    expect(w.initial.output).toBe('node/n1\n');
    kubectl(c, 'cordon n1');
    expect(w.next()).toBe('node/n1\n');
  });

  it('refuses several kinds, and a command that does not watch has exited', () => {
    const c = clusterOf([node('n1')]);
    const multi = watchKubectl(c, 'get pods,nodes -w');
    expect(multi.initial.error).toBe('error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n');
    expect(multi.done).toBe(true);
    const once = watchKubectl(c, 'get nodes -o name');
    expect(once.initial.output).toBe('node/n1\n');
    expect(once.done).toBe(true);
    expect(once.next()).toBe('');
  });
});
