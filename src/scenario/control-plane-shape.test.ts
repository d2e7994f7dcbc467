// spec.controlPlane: how many control-plane machines and etcd members, the
// defaults that follow (stacked etcd: a member per machine), and the
// component names a timeline may stop and start.
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';
import { ScenarioError, type ScenarioProblem } from './problems';
import { readActions } from './session';

const scenario = (controlPlane: string, timeline = '') => `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  controlPlane: ${controlPlane}
${timeline}`;

const problemsOf = (text: string): ScenarioProblem[] => {
  try {
    parseScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
};

describe('spec.controlPlane', () => {
  it.each([
    ['{}', { etcdMembers: 3, nodes: 1 }],
    ['{nodes: 1}', { etcdMembers: 3, nodes: 1 }],
    // Stacked etcd: one member on each control-plane machine unless etcdMembers says otherwise.
    ['{nodes: 3}', { etcdMembers: 3, nodes: 3 }],
    ['{nodes: 5}', { etcdMembers: 5, nodes: 5 }],
    ['{nodes: 3, etcdMembers: 1}', { etcdMembers: 1, nodes: 3 }],
    ['{etcdMembers: 5}', { etcdMembers: 5, nodes: 1 }],
  ])('%s reads as %j', (cp, shape) => {
    expect(parseScenario(scenario(cp)).controlPlane).toEqual(shape);
  });

  it('names what is wrong, at its line', () => {
    const p = problemsOf(scenario('\n    nodes: 8\n    workers: 2'));
    expect(p.map((x) => [x.field, x.line, x.message])).toEqual([
      ['spec.controlPlane.workers', 7, 'unknown field (known: etcdMembers, nodes)'],
      ['spec.controlPlane.nodes', 6, 'Invalid value: 8: must be an integer from 1 to 7'],
    ]);
    expect(problemsOf(scenario('{nodes: three}'))[0]).toMatchObject({ field: 'spec.controlPlane.nodes', message: 'Invalid value: "three": must be an integer from 1 to 7' });
  });

  it('with several machines the timeline names each process by its machine: kube-scheduler-2, not kube-scheduler', () => {
    const ok = scenario('{nodes: 3}', '  timeline:\n  - {at: 1s, action: stopComponent, component: kube-scheduler-2}\n  - {at: 2s, action: powerOff, node: control-plane-3}\n');
    expect(parseScenario(ok).timeline.map((e) => e.action)).toEqual(['stopComponent', 'powerOff']);
    const p = problemsOf(scenario('{nodes: 2}', '  timeline:\n  - {at: 1s, action: stopComponent, component: kube-scheduler}\n'));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ field: 'spec.timeline[0].component', line: 7 });
    expect(p[0].message).toContain(
      'Unsupported value: "kube-scheduler": supported values: "etcd-1", "etcd-2", "kube-apiserver-1", "kube-apiserver-2", "kube-scheduler-1", "kube-scheduler-2", "kube-controller-manager-1", "kube-controller-manager-2"',
    );
  });

  it('a saved session or share link is checked against its scenario\'s shape', () => {
    expect(readActions([{ at: '1s', action: 'startComponent', component: 'kube-apiserver-3' }], { etcdMembers: 3, nodes: 3 })).toHaveLength(1);
    expect(() => readActions([{ at: '1s', action: 'startComponent', component: 'kube-apiserver-3' }], { etcdMembers: 3 })).toThrow(/actions\[0\]\.component/);
  });
});
