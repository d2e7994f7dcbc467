// kubeviz's headless runner. `npm run --silent sim -- run FILE --until 5m`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importCluster, ImportError } from '../scenario/import-cluster';
import { ScenarioError } from '../scenario/problems';
import { looksLikeSessionFile, readSessionFile } from '../scenario/session-file';
import { decodeShareFragment, encodeShareFragment, MAX_INSTANT_MS, MAX_LINK_CHARS, ShareLinkError } from '../scenario/share-codec';
import type { TimelineEntry } from '../sim/model';
import { DurationError, formatDuration, parseDuration } from '../sim/kernel/duration';
import { runKubectlCommand, runScenario } from './run-command';

const USAGE = `usage: sim run FILE --until DURATION [--trace] [--seed N]
       sim run --url FRAGMENT --until DURATION [--trace]
       sim url FILE [--at DURATION]
       sim kubectl FILE --until DURATION [--seed N] -- KUBECTL_ARGS...
       sim import FILE

  run FILE           run the scenario in FILE (multi-document YAML); a session saved by the
                     app (a Session document after the scenario) replays its user actions too
  --until DURATION   the virtual instant to stop at, as Go writes durations: 90s, 5m, 1h30m
  --trace            add the wire messages (every hop between components) to the output
  --seed N           override the scenario's seed

Prints a JSON Kubernetes List (apiVersion v1) of every object at that instant.
  --url FRAGMENT     run a share link instead of a file: its scenario and user actions
                     (the #s=... part of the link, or the whole link)

  url FILE           the share-link fragment (#s=...) of the scenario in FILE, at --at (default 0)

  kubectl FILE       run the scenario to --until, then the kubectl command after --
                     (e.g. -- get pods -o wide): its stdout, stderr and exit code

  import FILE        a real cluster from FILE, the output of kubectl get nodes,pods,deployments,
                     replicasets,daemonsets,statefulsets,jobs,services -A -o yaml (or -o json):
                     prints a scenario of it (YAML); what could not be modelled goes to stderr`;

class UsageError extends Error {}

/** A file's text, or undefined after saying on stderr why it cannot be read. */
function readInput(file: string, err: (s: string) => void): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    err(`sim: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    return undefined;
  }
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      (command === undefined ? err : out)(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'import') return importCommand(rest, out, err);
    if (command === 'kubectl') return kubectlCommand(rest, out, err);
    if (command === 'url') return urlCommand(rest, out, err);
    if (command !== 'run') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { until: { type: 'string' }, trace: { type: 'boolean', default: false }, seed: { type: 'string' }, url: { type: 'string' } },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.url !== undefined && positionals.length > 0) throw new UsageError('run takes a FILE or --url, not both');
    if (values.url === undefined && positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'run needs a scenario FILE (or --url FRAGMENT)' : `run takes one FILE, got ${positionals.length}`);
    if (values.until === undefined) throw new UsageError('run needs --until DURATION (e.g. --until 5m)');
    let until: number;
    try {
      until = parseDuration(values.until);
    } catch (e) {
      if (e instanceof DurationError) throw new UsageError(`--until: ${e.message} (e.g. 90s, 5m, 1h30m)`);
      throw e;
    }
    if (until < 0) throw new UsageError('--until: must not be negative');
    let seed: number | string | undefined = values.seed;
    if (seed !== undefined && /^-?\d+$/.test(seed)) seed = Number(seed);
    if (seed === '') throw new UsageError('--seed: must not be empty');
    let text: string;
    let actions: TimelineEntry[] = [];
    if (values.url !== undefined) {
      let session;
      try {
        session = decodeShareFragment(fragmentOf(values.url));
      } catch (e) {
        if (!(e instanceof ShareLinkError)) throw e;
        err(`sim: --url: ${e.message}`);
        return 1;
      }
      text = session.scenario;
      actions = session.actions;
    } else {
      const file = positionals[0];
      const read = readInput(file, err);
      if (read === undefined) return 1;
      text = read;
      // A saved session (src/scenario/session-file.ts): its scenario, then its user actions replayed as --url does.
      if (looksLikeSessionFile(text)) ({ scenario: text, actions } = readSessionFile(text));
    }
    const { list, warnings } = runScenario(text, { until, trace: values.trace ?? false, seed, actions });
    for (const w of warnings) err(`sim: warning: ${w}`);
    out(JSON.stringify(list, null, 2));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`sim: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ScenarioError) {
      err(`sim: ${argv[1] ?? 'scenario'} is not a valid scenario:\n${e.problems.length > 1 ? '' : ''}${e.message
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}`);
      return 1;
    }
    throw e;
  }
}

/** The fragment of a whole link (https://.../#s=...) or the fragment itself. */
function fragmentOf(url: string): string {
  const hash = url.indexOf('#');
  return hash >= 0 ? url.slice(hash + 1) : url;
}

/** `sim url FILE [--at DURATION]`: the share fragment of a scenario file, checked by parsing it first. */
function urlCommand(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'url needs a scenario FILE' : `url takes one FILE, got ${positionals.length}`);
  let at = 0;
  if (values.at !== undefined) {
    try {
      at = parseDuration(values.at);
    } catch (e) {
      if (e instanceof DurationError) throw new UsageError(`--at: ${e.message} (e.g. 90s, 5m, 1h30m)`);
      throw e;
    }
    if (at < 0 || at > MAX_INSTANT_MS) throw new UsageError(`--at: must be from 0 to ${MAX_INSTANT_MS / 3_600_000}h`);
  }
  const file = positionals[0];
  const text = readInput(file, err);
  if (text === undefined) return 1;
  // A ScenarioError is reported by main with its lines. A saved session keeps its actions, and its instant unless --at says.
  const session = readSessionFile(text); // a plain scenario file: no actions, at 0
  if (values.at === undefined) at = session.at;
  const last = session.actions[session.actions.length - 1];
  if (last && last.at > at) throw new UsageError(`--at: must not be before the session's last action (${formatDuration(last.at)})`);
  const fragment = encodeShareFragment({ scenario: session.scenario, actions: session.actions, at: Math.round(at) });
  if (fragment.length + 1 > MAX_LINK_CHARS) err(`sim: warning: the link is ${fragment.length + 1} characters, longer than browsers open from kubeviz (${MAX_LINK_CHARS}); share the file instead`);
  out(`#${fragment}`);
  return 0;
}

/** `sim import FILE`: the scenario on stdout, one note per line on stderr. */
function importCommand(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  if (args.length !== 1 || args[0].startsWith('-'))
    throw new UsageError(args.length === 0 ? 'import needs a FILE (the output of kubectl get ... -A -o yaml)' : `import takes one FILE, got ${args.map((a) => JSON.stringify(a)).join(' ')}`);
  const file = args[0];
  const text = readInput(file, err);
  if (text === undefined) return 1;
  try {
    const { scenario, notes } = importCluster(text);
    for (const n of notes) err(`sim: note: ${n.action}: ${n.object ? `${n.object}: ` : ''}${n.message}`);
    out(scenario.replace(/\n$/, ''));
    return 0;
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    err(`sim: ${file} cannot be imported: ${e.message}`);
    return 1;
  }
}

/** `sim kubectl FILE --until DURATION [--seed N] -- ARGS`: kubectl's stdout and stderr, and its exit code. */
function kubectlCommand(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const dash = args.indexOf('--');
  if (dash < 0) throw new UsageError('kubectl needs the kubectl command after -- (e.g. -- get pods -o wide)');
  let parsed;
  try {
    parsed = parseArgs({ args: args.slice(0, dash), allowPositionals: true, options: { until: { type: 'string' }, seed: { type: 'string' } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'kubectl needs a scenario FILE' : `kubectl takes one FILE, got ${positionals.length}`);
  if (values.until === undefined) throw new UsageError('kubectl needs --until DURATION (e.g. --until 30s)');
  let until: number;
  try {
    until = parseDuration(values.until);
  } catch (e) {
    if (e instanceof DurationError) throw new UsageError(`--until: ${e.message} (e.g. 90s, 5m, 1h30m)`);
    throw e;
  }
  if (until < 0) throw new UsageError('--until: must not be negative');
  const seed = values.seed !== undefined && /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const text = readInput(positionals[0], err);
  if (text === undefined) return 1;
  const r = runKubectlCommand(text, { until, seed }, args.slice(dash + 1));
  if (r.output) out(r.output.replace(/\n$/, ''));
  if (r.error) err(r.error.replace(/\n$/, ''));
  return r.exitCode;
}

// Run when executed directly (not when imported by tests).
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli/main.ts')) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
}
