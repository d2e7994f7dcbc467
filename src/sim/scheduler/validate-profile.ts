// Builds every plugin of a profile once, with a handle that has no cluster
// behind it, to surface bad pluginConfig args (and unknown plugins) when a
// scenario is read, as kube-scheduler refuses such a configuration at start.
import { Framework, ConfigError } from './framework/framework';
import { PluginArgsError } from './framework/registry';
import { PLUGIN_REGISTRY } from './plugins';
import type { Profile } from './profile';

export interface ProfileProblem {
  /** The plugin whose args were refused, when it is one. */
  plugin?: string;
  message: string;
}

const NO_NODES = { list: () => [], get: () => undefined, havePodsWithAffinity: () => [], havePodsWithRequiredAntiAffinity: () => [] };

export function validateProfile(profile: Profile): ProfileProblem | undefined {
  for (const name of profile.plugins) {
    try {
      new Framework({ ...profile, plugins: [name] }, PLUGIN_REGISTRY, {
        snapshot: () => NO_NODES,
        randomInt: () => 0,
        nominatedPodsForNode: () => [],
        nominatedPods: () => [],
        namespaceLabels: () => undefined,
        services: () => [],
        replicaSet: () => undefined,
      });
    } catch (e) {
      if (e instanceof PluginArgsError) return { plugin: name, message: e.message };
      if (e instanceof ConfigError) return { message: e.message };
      throw e;
    }
  }
  return undefined;
}
