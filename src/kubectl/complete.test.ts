import { describe, expect, it } from 'vitest';
import { completeKubectl } from './complete';
import { clusterOf, deployment, node, pod } from './test-cluster';

const cluster = () => {
  const c = clusterOf([node('node-1'), node('node-2'), deployment('web', 1), pod('debug', { nodeName: 'node-1', containers: [{ name: 'shell', image: 'busybox:1.36' }, { name: 'side', image: 'busybox:1.36' }] })]);
  c.runUntil(5_000);
  return c;
};

describe('completeKubectl', () => {
  it('command names, then subcommands', () => {
    const c = cluster();
    expect(completeKubectl(c, 'kubectl de')).toEqual(['delete', 'describe']);
    expect(completeKubectl(c, 'ro')).toEqual(['rollout']);
    expect(completeKubectl(c, 'rollout ')).toEqual(['history', 'pause', 'restart', 'resume', 'status', 'undo']);
    expect(completeKubectl(c, 'create d')).toEqual(['deployment']);
  });

  it('resource types, then names from the cluster', () => {
    const c = cluster();
    expect(completeKubectl(c, 'get dep')).toEqual(['deployments']);
    expect(completeKubectl(c, 'get deployments ')).toEqual(['web']);
    expect(completeKubectl(c, 'describe pods/de')).toEqual(['pods/debug']);
    expect(completeKubectl(c, 'cordon ')).toEqual(['node-1', 'node-2']);
    expect(completeKubectl(c, 'logs d')).toEqual(['debug']);
    expect(completeKubectl(c, 'scale deployment/')).toEqual(['deployment/web']);
  });

  it('flags of the command, and the values of -o, -n and -c', () => {
    const c = cluster();
    expect(completeKubectl(c, 'get pods --sh')).toEqual(['--show-kind', '--show-labels']);
    expect(completeKubectl(c, 'get pods -o ')).toEqual(['json', 'name', 'wide', 'yaml']);
    expect(completeKubectl(c, 'get pods -n kube-')).toEqual(['kube-node-lease', 'kube-public', 'kube-system']);
    expect(completeKubectl(c, 'get pods --namespace=def')).toEqual(['--namespace=default']);
    expect(completeKubectl(c, 'logs debug -c ')).toEqual(['shell', 'side']);
  });

  it('completes the word under the cursor, not the end of the line', () => {
    const c = cluster();
    const line = 'get no -o wide';
    expect(completeKubectl(c, line, 'get no'.length)).toEqual(['nodes']);
  });
});
