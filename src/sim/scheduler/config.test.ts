import { describe, expect, it } from 'vitest';
import { profileFromConfiguration, SchedulerConfigError } from './config';
import { DEFAULT_PLUGINS } from './profile';

const known = [...DEFAULT_PLUGINS];
const cfg = (profile: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  apiVersion: 'kubescheduler.config.k8s.io/v1',
  kind: 'KubeSchedulerConfiguration',
  ...top,
  profiles: [profile],
});

describe('KubeSchedulerConfiguration', () => {
  it('starts from the default profile and weights', () => {
    const p = profileFromConfiguration(cfg({}), known);
    expect(p.plugins).toEqual(DEFAULT_PLUGINS);
    expect(p.weights).toMatchObject({ TaintToleration: 3, NodeAffinity: 2, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesFit: 1 });
    expect(p.percentageOfNodesToScore).toBe(0);
  });

  it('changes weights, disables per point and sets args and percentageOfNodesToScore', () => {
    const p = profileFromConfiguration(
      cfg(
        {
          schedulerName: 'my-scheduler',
          plugins: { score: { enabled: [{ name: 'NodeResourcesFit', weight: 5 }], disabled: [{ name: 'ImageLocality' }] }, multiPoint: { disabled: [{ name: 'InterPodAffinity' }] } },
          pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
        },
        { percentageOfNodesToScore: 30 },
      ),
      known,
    );
    expect(p.schedulerName).toBe('my-scheduler');
    expect(p.weights.NodeResourcesFit).toBe(5);
    expect(p.disabled.score).toEqual(['ImageLocality']);
    expect(p.plugins).not.toContain('InterPodAffinity');
    expect(p.args.NodeResourcesFit).toEqual({ scoringStrategy: { type: 'MostAllocated' } });
    expect(p.percentageOfNodesToScore).toBe(30);
  });

  it.each([
    [{ plugins: { score: { enabled: [{ name: 'Nope' }] } } }, 'profiles[0].plugins.score.enabled[0].name'],
    [{ plugins: { scoring: {} } }, 'profiles[0].plugins.scoring'],
    [{ plugins: { score: { enabled: [{ name: 'ImageLocality', weight: -1 }] } } }, 'profiles[0].plugins.score.enabled[0].weight'],
    [{ percentageOfNodesToScore: 101 }, 'profiles[0].percentageOfNodesToScore'],
    [{ pluginConfig: [{ name: 'ImageLocality', args: 3 }] }, 'profiles[0].pluginConfig[0].args'],
  ])('rejects %j naming %s', (profile, field) => {
    try {
      profileFromConfiguration(cfg(profile), known);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SchedulerConfigError);
      expect((e as SchedulerConfigError).field).toBe(field);
    }
  });
});
