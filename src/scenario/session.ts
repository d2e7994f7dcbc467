// A session: the scenario file the user opened, the actions they took (each
// with its instant) and the instant they are looking at. It is everything a
// share link, an autosave or a rewind needs, because the simulation is
// deterministic: replaying the same actions at the same instants gives the
// same cluster.
//
// Replay rule: a user acts on a settled cluster: everything due at that
// instant has run first (History.act runs to the current instant before
// acting). Replaying runs to the action's instant, then acts, so it meets
// the cluster in the same state. This is why user actions are not turned into
// timeline entries: a timeline entry is scheduled up front and would run
// before other events of its instant.
import { LineCounter, Document } from 'yaml';
import type { Cluster } from '../sim/cluster';
import type { Action, ControlPlaneShape, TimelineEntry } from '../sim/model';
import { loadScenario, type LoadOptions } from './load';
import { ScenarioError, type ScenarioProblem } from './problems';
import { readTimelineEntry, type ScenarioParts } from './scenario-document';
import { YamlSource } from './yaml-source';

export interface Session {
  /** The scenario file as opened (multi-document YAML). */
  scenario: string;
  /** The user's actions in the order they were taken; `at` never decreases. */
  actions: TimelineEntry[];
  /** The instant being looked at (virtual ms); at or after the last action. */
  at: number;
}

/** The session a live cluster is in. */
export function sessionOf(cluster: Cluster, scenarioText: string): Session {
  return { scenario: scenarioText, actions: cluster.userActions.map((a) => ({ ...a })), at: cluster.now };
}

/** Builds the scenario's cluster and replays the actions up to `session.at`. Scenario errors throw ScenarioError. */
export function openSession(session: Session, options: LoadOptions = {}): Cluster {
  const { cluster } = loadScenario(session.scenario, options);
  replayActions(cluster, session.actions);
  if (session.at > cluster.now) cluster.runUntil(session.at);
  return cluster;
}

/** Replays user actions on a cluster that has not passed the first of them. */
export function replayActions(cluster: Cluster, actions: readonly TimelineEntry[]): void {
  for (const entry of actions) {
    if (entry.at < cluster.now) throw new Error(`action ${entry.action} at ${entry.at} ms is before the cluster's instant ${cluster.now} ms`);
    cluster.runUntil(entry.at);
    cluster.act(actionOf(entry));
  }
}

export function actionOf(entry: TimelineEntry): Action {
  const { at: _at, ...action } = entry;
  void _at;
  return action as Action;
}

/** A timeline entry as a scenario's `spec.timeline` writes it: `{at: 1500ms, action: apply, manifest: [...]}`. */
export function timelineEntryDocument(entry: TimelineEntry): Record<string, unknown> {
  const { at, ...rest } = entry;
  if (rest.action === 'apply') return { at: `${at}ms`, action: 'apply', manifest: rest.manifests };
  return { at: `${at}ms`, ...rest };
}

/**
 * Reads actions written as timeline entries (from a share link or a saved
 * session), with the scenario file's own checks; problems name the entry
 * (`actions[3].node`). The control-plane shape decides which components exist.
 */
export function readActions(list: unknown, controlPlane: ControlPlaneShape): TimelineEntry[] {
  const problems: ScenarioProblem[] = [];
  if (!Array.isArray(list)) throw new ScenarioError([{ document: 1, field: 'actions', message: 'must be a list' }]);
  const parts: ScenarioParts = { seed: 1, controlPlane, settings: {} as ScenarioParts['settings'], nodePools: [], timeline: [] };
  const src = new YamlSource(new Document(list), new LineCounter());
  list.forEach((e, i) => readTimelineEntry(e, `actions[${i}]`, src, 1, problems, parts, controlPlane));
  parts.timeline.forEach((e, i) => {
    if (i > 0 && e.at < parts.timeline[i - 1].at) problems.push({ document: 1, field: `actions[${i}].at`, message: `must not be before the action above it (${parts.timeline[i - 1].at} ms)` });
  });
  if (problems.length > 0) throw new ScenarioError(problems.map(({ object: _o, ...p }) => (void _o, p)));
  return parts.timeline;
}
