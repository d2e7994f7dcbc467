// A KubeSchedulerConfiguration document in a scenario file: read into the
// scheduler's profile, and its mistakes reported at their document and line.
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load';
import { parseScenario } from './parse';
import { ScenarioError, type ScenarioProblem } from './problems';

const problemsOf = (text: string): ScenarioProblem[] => {
  try {
    loadScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
};

const NODE = `apiVersion: v1
kind: Node
metadata: {name: n1}
`;

describe('KubeSchedulerConfiguration in a scenario', () => {
  it('sets the profile: weights, disabled plugins, scoring strategy, percentageOfNodesToScore', () => {
    const m = parseScenario(`${NODE}---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      disabled: [{name: ImageLocality}]
      enabled: [{name: NodeResourcesFit, weight: 5}]
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);
    expect(m.schedulerProfile.percentageOfNodesToScore).toBe(30);
    expect(m.schedulerProfile.weights.NodeResourcesFit).toBe(5);
    expect(m.schedulerProfile.disabled.score).toContain('ImageLocality');
    expect(m.schedulerProfile.args.NodeResourcesFit).toEqual({ scoringStrategy: { type: 'MostAllocated' } });
  });

  it('names the document, line and field of a mistake', () => {
    const problems = problemsOf(`${NODE}---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- plugins:
    score:
      enabled: [{name: NoSuchPlugin}]
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ document: 2, field: 'profiles[0].plugins.score.enabled[0].name' });
    expect(problems[0].message).toMatch(/Invalid value: "NoSuchPlugin": plugin is not registered/);
  });

  it('refuses another apiVersion and a second configuration', () => {
    expect(problemsOf(`${NODE}---\napiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n`)[0]).toMatchObject({ document: 2, line: 5, field: 'apiVersion' });
    const two = `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n`;
    expect(problemsOf(`${NODE}---\n${two}---\n${two}`)[0]).toMatchObject({ document: 3, field: 'kind' });
  });

  it('refuses bad plugin args when the file is read, at the pluginConfig entry', () => {
    const problems = problemsOf(`${NODE}---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy: {type: Bogus}
`);
    expect(problems).toEqual([
      expect.objectContaining({
        document: 2,
        line: 11,
        field: 'profiles[0].pluginConfig[0].args',
        message: 'NodeResourcesFit args: scoringStrategy.type: Unsupported value: "Bogus": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
      }),
    ]);
  });
});
