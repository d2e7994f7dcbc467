import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';
import { ScenarioError, type ScenarioProblem } from './problems';

const HEAD = `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: c}
spec:
`;

const problemsOf = (text: string): string[] => {
  try {
    parseScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map((p: ScenarioProblem) => `${p.line} ${p.field}: ${p.message}`);
    throw e;
  }
  return [];
};

describe('spec.cloud', () => {
  it('is absent unless asked for, and an empty mapping takes the defaults', () => {
    expect(parseScenario(`${HEAD}  seed: 3\n`).cloud).toBeUndefined();
    expect(parseScenario(`${HEAD}  cloud: {}\n`).cloud).toEqual({ loadBalancerRange: '203.0.113.0/24' });
    expect(parseScenario(`${HEAD}  cloud:\n    loadBalancerRange: 198.51.100.0/28\n`).cloud).toEqual({ loadBalancerRange: '198.51.100.0/28' });
  });

  it('names what is wrong and where', () => {
    expect(problemsOf(`${HEAD}  cloud:\n    loadBalancerRange: 300.1.1.0/24\n    region: eu\n`)).toEqual([
      '7 spec.cloud.region: unknown field (known: loadBalancerRange)',
      '6 spec.cloud.loadBalancerRange: Invalid value: "300.1.1.0/24": must be an IPv4 CIDR from /8 to /30, such as "203.0.113.0/24"',
    ]);
    expect(problemsOf(`${HEAD}  cloud: aws\n`)).toEqual(['5 spec.cloud: must be a mapping (an empty one, {}, takes the defaults)']);
  });
});

describe('spec.addons', () => {
  it('turns on only the addons named true', () => {
    expect(parseScenario(`${HEAD}  seed: 3\n`).addons).toBeUndefined();
    expect(parseScenario(`${HEAD}  addons: {dns: true}\n`).addons).toEqual({ dns: true, metricsServer: false });
    expect(parseScenario(`${HEAD}  addons: {dns: false, metricsServer: true}\n`).addons).toEqual({ dns: false, metricsServer: true });
  });

  it('names an unknown addon and a value that is not a boolean', () => {
    expect(problemsOf(`${HEAD}  addons:\n    dns: yes please\n    ingress: true\n`)).toEqual([
      '6 spec.addons.dns: Invalid value: "yes please": must be true or false',
      '7 spec.addons.ingress: unknown addon (known: dns, metricsServer)',
    ]);
  });
});
