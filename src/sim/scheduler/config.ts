// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) to a profile:
// the default plugins, then multiPoint and per-extension-point enabled and
// disabled sets, weights, pluginConfig args and percentageOfNodesToScore,
// merged as upstream merges them. Mistakes name their field.
import { defaultProfile, type ExtensionPoint, type Profile } from './profile';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';

export class SchedulerConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Extension points a configuration can name (NormalizeScore is part of score). */
const POINTS: ExtensionPoint[] = ['preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'];

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

interface PluginRef {
  name: string;
  weight?: number;
}

function refs(v: unknown, field: string): PluginRef[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new SchedulerConfigError(field, 'must be a list of {name, weight}');
  return v.map((p, i) => {
    if (!isObj(p) || typeof p.name !== 'string' || !p.name) throw new SchedulerConfigError(`${field}[${i}].name`, 'Required value');
    if (p.weight !== undefined && (typeof p.weight !== 'number' || !Number.isInteger(p.weight) || p.weight < 0 || p.weight > 100))
      throw new SchedulerConfigError(`${field}[${i}].weight`, `Invalid value: ${JSON.stringify(p.weight)}: must be an integer from 0 to 100`);
    return { name: p.name, weight: p.weight as number | undefined };
  });
}

/** The one profile kubeviz runs, from a KubeSchedulerConfiguration document. `known` lists the registered plugins. */
export function profileFromConfiguration(doc: Obj, known: readonly string[]): Profile {
  const profile = defaultProfile();
  for (const k of Object.keys(doc))
    if (!['apiVersion', 'kind', 'profiles', 'percentageOfNodesToScore', 'parallelism', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'metadata'].includes(k))
      throw new SchedulerConfigError(k, 'unknown field');
  const pct = (v: unknown, field: string) => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) throw new SchedulerConfigError(field, `Invalid value: ${JSON.stringify(v)}: not in valid range [0-100]`);
    return v;
  };
  profile.percentageOfNodesToScore = pct(doc.percentageOfNodesToScore, 'percentageOfNodesToScore') ?? 0;
  const profiles = doc.profiles ?? [];
  if (!Array.isArray(profiles)) throw new SchedulerConfigError('profiles', 'must be a list');
  if (profiles.length > 1) throw new SchedulerConfigError('profiles', `kubeviz runs one scheduler profile; this configuration has ${profiles.length}`);
  const p = profiles[0];
  if (p === undefined) return profile;
  if (!isObj(p)) throw new SchedulerConfigError('profiles[0]', 'must be a mapping');
  if (p.schedulerName !== undefined) {
    if (typeof p.schedulerName !== 'string' || !p.schedulerName) throw new SchedulerConfigError('profiles[0].schedulerName', 'Required value');
    profile.schedulerName = p.schedulerName;
  }
  profile.percentageOfNodesToScore = pct(p.percentageOfNodesToScore, 'profiles[0].percentageOfNodesToScore') ?? profile.percentageOfNodesToScore;
  const check = (name: string, field: string) => {
    if (name !== '*' && !known.includes(name)) throw new SchedulerConfigError(field, `Invalid value: ${JSON.stringify(name)}: plugin is not registered (known: ${known.join(', ')})`);
  };
  const plugins = p.plugins ?? {};
  if (!isObj(plugins)) throw new SchedulerConfigError('profiles[0].plugins', 'must be a mapping');
  for (const [point, set] of Object.entries(plugins)) {
    const field = `profiles[0].plugins.${point}`;
    if (point !== 'multiPoint' && !POINTS.includes(point as ExtensionPoint)) throw new SchedulerConfigError(field, `unknown extension point (known: multiPoint, ${POINTS.join(', ')})`);
    if (!isObj(set)) throw new SchedulerConfigError(field, 'must be a mapping with enabled and disabled');
    const disabled = refs(set.disabled, `${field}.disabled`);
    const enabled = refs(set.enabled, `${field}.enabled`);
    disabled.forEach((r, i) => check(r.name, `${field}.disabled[${i}].name`));
    enabled.forEach((r, i) => check(r.name, `${field}.enabled[${i}].name`));
    if (point === 'multiPoint') {
      const all = disabled.some((r) => r.name === '*');
      profile.plugins = all ? [] : profile.plugins.filter((n) => !disabled.some((r) => r.name === n));
      for (const r of enabled) {
        if (!profile.plugins.includes(r.name)) profile.plugins.push(r.name);
        if (r.weight !== undefined) profile.weights[r.name] = r.weight;
      }
    } else {
      const pt = point as ExtensionPoint;
      const off = new Set(profile.disabled[pt] ?? []);
      if (disabled.some((r) => r.name === '*')) for (const n of profile.plugins) off.add(n);
      for (const r of disabled) if (r.name !== '*') off.add(r.name);
      for (const r of enabled) {
        off.delete(r.name);
        if (!profile.plugins.includes(r.name)) {
          // Enabled at this point only: off everywhere else.
          profile.plugins.push(r.name);
          for (const other of POINTS) if (other !== pt) (profile.disabled[other] ??= []).push(r.name);
        }
        if (r.weight !== undefined && pt === 'score') profile.weights[r.name] = r.weight;
      }
      profile.disabled[pt] = [...off];
    }
  }
  const pluginConfig = p.pluginConfig ?? [];
  if (!Array.isArray(pluginConfig)) throw new SchedulerConfigError('profiles[0].pluginConfig', 'must be a list of {name, args}');
  pluginConfig.forEach((c, i) => {
    const field = `profiles[0].pluginConfig[${i}]`;
    if (!isObj(c) || typeof c.name !== 'string') throw new SchedulerConfigError(`${field}.name`, 'Required value');
    check(c.name, `${field}.name`);
    if (c.args !== undefined && !isObj(c.args)) throw new SchedulerConfigError(`${field}.args`, 'must be a mapping');
    if (profile.args[c.name]) throw new SchedulerConfigError(`${field}.name`, `Duplicate value: ${JSON.stringify(c.name)}`);
    profile.args[c.name] = (c.args as Obj) ?? {};
  });
  return profile;
}
