// Session files: a scenario file with the user's session appended as one
// more document, `apiVersion: kubeviz.dev/v1alpha1, kind: Session`, that
// holds the user's actions and the instant being looked at. Not an upstream
// format; kubeviz's own, read by the app (Open, drag and drop) and by
// `sim run FILE`.
//
// Why a document of its own and not entries in the Scenario's spec.timeline:
// a timeline entry is scheduled when the cluster is built and runs before
// the other events of its instant, while a user action meets the cluster
// settled, after everything due at that instant (see session.ts). Written
// into the timeline, an action taken at 31.2 s could run before a kubelet's
// status update due at 31.2 s and change what follows. A Session document
// keeps the two apart, and the scenario above it stays byte for byte the
// file the user opened, so it still opens anywhere a scenario does.
import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import { DurationError, parseDuration } from '../sim/kernel/duration';
import type { TimelineEntry } from '../sim/model';
import { isPlainObject } from './manifest-check';
import { parseScenarioFile } from './parse';
import { ScenarioError, type ScenarioProblem } from './problems';
import { readTimelineEntry, SCENARIO_API_VERSION, type ScenarioParts } from './scenario-document';
import { timelineEntryDocument, type Session } from './session';
import { YamlSource } from './yaml-source';

export const SESSION_KIND = 'Session';
/** As parse.ts: guards against YAML alias bombs. */
const MAX_ALIAS_COUNT = 100;
/** A file never asks to replay more than a day of simulated time (as a share link). */
export const MAX_SESSION_INSTANT_MS = 24 * 3_600_000;
/** At most this many actions (as a share link): a hostile file gets a message, not minutes of replay. */
export const MAX_SESSION_ACTIONS = 10_000;
const SPEC_KEYS = ['at', 'actions'];

const HEADER = `# kubeviz session: the scenario above, as it was opened, then what the user did.
# The app (Open, or drop the file on the page) and \`sim run FILE\` replay each
# action at its instant, after everything else due at that instant has run,
# and open the cluster paused at spec.at.
`;

/** The session as a file: the scenario text unchanged, then a Session document. */
export function writeSessionFile(session: Session, name?: string): string {
  const doc = {
    apiVersion: SCENARIO_API_VERSION,
    kind: SESSION_KIND,
    ...(name ? { metadata: { name } } : {}),
    spec: { at: `${session.at}ms`, actions: session.actions.map(timelineEntryDocument) },
  };
  const body = stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false, indentSeq: false });
  const scenario = session.scenario.endsWith('\n') || session.scenario === '' ? session.scenario : `${session.scenario}\n`;
  return `${scenario}---\n${HEADER}${body}`;
}

/** Whether a text has a Session document (a cheap look before the whole read). */
export function looksLikeSessionFile(text: string): boolean {
  return /^kind:\s*["']?Session["']?\s*$/m.test(text) || /"kind"\s*:\s*"Session"/.test(text);
}

/**
 * Reads a file that may be a session file. A plain scenario file (no Session
 * document) comes back with no actions, at 0. Problems throw ScenarioError
 * with the document and line: in the Session document, or in the scenario
 * (which is checked here, since its control plane decides which components
 * the actions may name).
 */
export function readSessionFile(text: string): Session {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const found: Array<{ index: number; value: Record<string, unknown>; range: [number, number] }> = [];
  list.forEach((doc, i) => {
    if (doc.errors.length || doc.contents === null) return; // the scenario's parser reports these
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch {
      return;
    }
    if (isPlainObject(value) && value.kind === SESSION_KIND) found.push({ index: i, value, range: [doc.range[0], doc.range[2]] });
  });
  if (found.length === 0) {
    parseScenarioFile(text);
    return { scenario: text, actions: [], at: 0 };
  }
  if (found.length > 1) throw new ScenarioError([{ document: found[1].index + 1, field: 'kind', message: `a file has at most one Session document (the first is document ${found[0].index + 1})` }]);
  const { index, value, range } = found[0];
  const document = index + 1;
  const src = new YamlSource(list[index], lineCounter);
  const problems: ScenarioProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ document, line: src.line(field), field, message, object: SESSION_KIND });
  if (value.apiVersion !== SCENARIO_API_VERSION) problem('apiVersion', `a Session document has apiVersion ${SCENARIO_API_VERSION}`);
  const scenario = text.slice(0, range[0]) + text.slice(range[1]);
  if (list.every((d, i) => i === index || d.contents === null)) problem('kind', 'a Session document needs the scenario before it in the same file');
  if (problems.length) throw new ScenarioError(problems);

  // The scenario first: its documents keep their numbers (the Session document is removed, and is last when kubeviz wrote it).
  const controlPlane = parseScenarioFile(scenario).model.controlPlane;

  const spec = value.spec ?? {};
  if (!isPlainObject(spec)) throw new ScenarioError([{ document, line: src.line('spec'), field: 'spec', message: 'must be a mapping', object: SESSION_KIND }]);
  for (const k of Object.keys(spec)) if (!SPEC_KEYS.includes(k)) problem(`spec.${k}`, `unknown field (known: ${SPEC_KEYS.join(', ')})`);
  let at = 0;
  if (spec.at !== undefined) {
    const ms = instant(spec.at, (m) => problem('spec.at', m));
    if (ms !== undefined) at = ms;
  }
  const parts: ScenarioParts = { seed: 1, controlPlane, settings: {} as ScenarioParts['settings'], nodePools: [], timeline: [] };
  const actionsValue = spec.actions ?? [];
  if (!Array.isArray(actionsValue)) problem('spec.actions', 'must be a list of actions such as {at: 30000ms, action: powerOff, node: node-1}');
  else if (actionsValue.length > MAX_SESSION_ACTIONS) problem('spec.actions', `has ${actionsValue.length} actions; at most ${MAX_SESSION_ACTIONS} can be replayed`);
  else {
    const before = problems.length;
    actionsValue.forEach((e, i) => readTimelineEntry(e, `spec.actions[${i}]`, src, document, problems, parts, controlPlane));
    for (let i = before; i < problems.length; i++) problems[i] = { ...problems[i], object: SESSION_KIND };
  }
  const actions: TimelineEntry[] = parts.timeline;
  actions.forEach((e, i) => {
    if (i > 0 && e.at < actions[i - 1].at) problem(`spec.actions[${i}].at`, `must not be before the action above it (${actions[i - 1].at} ms)`);
  });
  const last = actions[actions.length - 1];
  if (last && problems.length === 0 && last.at > at) problem('spec.at', `must not be before the last action (${last.at} ms)`);
  if (problems.length) throw new ScenarioError(problems);
  return { scenario, actions, at };
}

function instant(v: unknown, problem: (m: string) => void): number | undefined {
  if (typeof v !== 'string' && v !== 0) return void problem(`Invalid value: ${JSON.stringify(v)}: must be a duration such as "90s" or "90000ms"`);
  let ms: number;
  try {
    ms = v === 0 ? 0 : parseDuration(v as string);
  } catch (e) {
    if (!(e instanceof DurationError)) throw e;
    return void problem(`Invalid value: ${JSON.stringify(v)}: ${e.message} (use a duration such as "90s" or "90000ms")`);
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_SESSION_INSTANT_MS) return void problem(`Invalid value: ${JSON.stringify(v)}: must be from 0 to ${MAX_SESSION_INSTANT_MS / 3_600_000}h`);
  return Math.round(ms);
}
