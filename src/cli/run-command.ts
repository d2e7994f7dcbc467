// `sim run FILE --until DURATION [--trace] [--seed N]`: runs a scenario
// headless and returns the Kubernetes List (apiVersion v1) of every object
// at that instant, plus the wire messages with --trace. `sim kubectl` runs
// one kubectl command at that instant instead.
import { runKubectl, type KubectlResult } from '../kubectl';
import { loadScenario } from '../scenario/load';
import { replayActions } from '../scenario/session';
import type { TimelineEntry } from '../sim/model';
import { formatDuration } from '../sim/kernel/duration';
import type { WireMessage } from '../sim/kernel/trace';
import type { KubeObject } from '../sim/api/types';

export interface RunOptions {
  until: number;
  trace: boolean;
  seed?: number | string;
  /** User actions with their instants (from a share link). */
  actions?: readonly TimelineEntry[];
}

export interface RunOutput {
  apiVersion: 'v1';
  kind: 'List';
  metadata: { resourceVersion: string };
  items: KubeObject[];
  trace?: WireMessage[];
}

export interface RunResult {
  list: RunOutput;
  /** Timeline actions that failed, as kubectl would have printed them. */
  warnings: string[];
}

export function runScenario(text: string, opts: RunOptions): RunResult {
  const { cluster } = loadScenario(text, { seed: opts.seed, traceCapacity: opts.trace ? Infinity : 0 });
  // A share link's user actions, replayed at their instants (those after --until never happen).
  replayActions(cluster, (opts.actions ?? []).filter((a) => a.at <= opts.until));
  cluster.runUntil(opts.until);
  const warnings: string[] = [];
  for (const rec of cluster.actions)
    for (const o of rec.outcomes) if (!o.ok) warnings.push(`at ${formatDuration(rec.at)} ${rec.action.action}: ${o.message}`);
  const list: RunOutput = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(cluster.revision) }, items: cluster.objects() };
  if (opts.trace) list.trace = cluster.trace();
  return { list, warnings };
}

export interface KubectlRunOptions {
  until: number;
  seed?: number | string;
}

/**
 * `sim kubectl FILE --until DURATION -- ARGS`: the scenario run to that
 * instant, then one kubectl command against it, as the console runs it.
 */
export function runKubectlCommand(text: string, opts: KubectlRunOptions, args: readonly string[]): KubectlResult {
  const { cluster } = loadScenario(text, { seed: opts.seed, traceCapacity: 0 });
  cluster.runUntil(opts.until);
  return runKubectl(cluster, args);
}
