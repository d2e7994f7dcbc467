// runKubectl: one command line, as a user types it in the console, run
// against the simulated cluster. The line is split as a shell would, the
// command found as cobra finds it (flags may come first, "kubectl" may be
// typed or not), its flags parsed as pflag parses them, and every error
// printed in kubectl's words: this never throws.
import type { Cluster } from '../sim/cluster';
import type { Command, CommandContext } from './commands/command';
import { GLOBAL_FLAGS } from './commands/command';
import { commandHelp, rootHelp } from './commands/help';
import { commands } from './commands/index';
import { Invocation, KubectlError, usageError, type KubectlActor, type KubectlResult } from './result';
import { FlagError, Flags, parseFlags, type FlagSpec } from './shell/flags';
import { tokenize } from './shell/tokenize';
import { StoreReader } from './store-reader';

export interface KubectlOptions {
  /** What `-f -` reads: the YAML editor's text for `apply -f -`. */
  stdin?: string;
  /** Performs the command's actions (default: the cluster); the UI's store records them on its history branch. */
  actor?: KubectlActor;
}

/** Levenshtein distance, for cobra's "Did you mean this?". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** SuggestionsFor: within distance 2, or a prefix of a command's name. */
export function suggestions(typed: string, cmds: readonly Command[]): string[] {
  const t = typed.toLowerCase();
  // cobra sorts its commands by name.
  return cmds.filter((c) => distance(t, c.name.toLowerCase()) <= 2 || c.name.toLowerCase().startsWith(t)).map((c) => c.name).sort();
}

/** Whether the next word is this flag's value ("-n default", "--output yaml"), as stripFlags decides. */
function takesValue(flags: readonly FlagSpec[], token: string): boolean {
  if (token.includes('=')) return false;
  const f = token.startsWith('--') ? flags.find((x) => x.name === token.slice(2)) : token.length === 2 ? flags.find((x) => x.shorthand === token[1]) : undefined;
  return f !== undefined && f.type !== 'bool';
}

export interface Resolved {
  cmd: Command;
  /** "rollout status". */
  path: string;
  /** argv without the command words. */
  argv: string[];
  /** Set when a parent command got a word that names none of its subcommands. */
  unknownSub?: string;
}

/** Finds the command the way cobra's Find does: the first words that are not flags. */
export function resolveCommand(argv: readonly string[], all: readonly Command[]): Resolved | { unknown: string } | undefined {
  let cmd: Command | undefined;
  const path: string[] = [];
  const rest = [...argv];
  let level: readonly Command[] = all;
  for (let i = 0; i < rest.length; i++) {
    const tok = rest[i];
    if (tok === '--') break;
    if (tok.startsWith('-') && tok.length > 1) {
      if (takesValue([...GLOBAL_FLAGS, ...(cmd?.flags ?? [])], tok)) i++;
      continue;
    }
    const next = level.find((c) => c.name === tok || c.aliases?.includes(tok));
    if (!next) {
      if (!cmd) return { unknown: tok };
      if (cmd.subcommands && !cmd.run) return { cmd, path: path.join(' '), argv: rest, unknownSub: tok };
      break;
    }
    cmd = next;
    path.push(next.name);
    rest.splice(i, 1);
    i--;
    if (!next.subcommands) break;
    level = next.subcommands;
  }
  return cmd ? { cmd, path: path.join(' '), argv: rest } : undefined;
}

/** Runs `body`, turning what it throws into kubectl's stderr and exit code 1. */
export function guarded(inv: Invocation, body: () => void): KubectlResult {
  try {
    body();
  } catch (e) {
    if (e instanceof KubectlError) {
      inv.fail(e.message);
    } else {
      inv.fail(`error: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  return inv.result();
}

/** A command line as typed, or argv already split (the CLI's `sim kubectl ... -- ARGS`). */
export type KubectlInput = string | readonly string[];

export function runKubectl(cluster: Cluster, line: KubectlInput, options: KubectlOptions = {}): KubectlResult {
  const inv = new Invocation(cluster, options.actor);
  return guarded(inv, () => {
    const p = prepare(inv, cluster, line, options);
    if (p) p.cmd.run!(p.ctx);
  });
}

export interface Prepared {
  cmd: Command;
  ctx: CommandContext;
}

/**
 * Everything before running the command: the line split, the command found,
 * its flags parsed. Undefined when the line was already answered (help, an
 * empty line); throws KubectlError for kubectl's usage errors.
 */
export function prepare(inv: Invocation, cluster: Cluster, line: KubectlInput, options: KubectlOptions = {}): Prepared | undefined {
  let argv: string[];
  if (typeof line === 'string') {
    const t = tokenize(line);
    if (t.unterminated) throw new KubectlError(`bash: unexpected EOF while looking for matching \`${t.unterminated}'`);
    if (t.operator) throw new KubectlError(`error: this console runs one kubectl command; the shell operator "${t.operator}" (pipes, redirections, lists) is not supported`);
    argv = t.tokens.map((x) => x.value);
  } else {
    argv = [...line];
  }
  if (argv.length === 0) return undefined;
  if (argv[0] === 'kubectl') argv.shift();
  const all = commands(options.stdin);
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help'))) {
    inv.print(rootHelp(all));
    return undefined;
  }
  if (argv[0] === 'help') {
    const target = resolveCommand(argv.slice(1), all);
    if (target && 'cmd' in target) inv.print(commandHelp(target.cmd, target.path));
    else inv.print(rootHelp(all));
    return undefined;
  }
  const found = resolveCommand(argv, all);
  if (!found) {
    // Only flags: kubectl checks them and prints its help.
    try {
      parseFlags(argv, GLOBAL_FLAGS);
    } catch (e) {
      if (e instanceof FlagError) throw usageError('', e.message);
      throw e;
    }
    inv.print(rootHelp(all));
    return undefined;
  }
  if ('unknown' in found) {
    const hints = suggestions(found.unknown, all);
    const more = hints.length ? `\n\nDid you mean this?\n${hints.map((h) => `\t${h}`).join('\n')}\n` : '';
    throw new KubectlError(`error: unknown command ${JSON.stringify(found.unknown)} for "kubectl"${more}`);
  }
  const { cmd, path } = found;
  let parsed;
  try {
    parsed = parseFlags(found.argv, [...cmd.flags, ...GLOBAL_FLAGS]);
  } catch (e) {
    if (e instanceof FlagError) throw usageError(path, e.message);
    throw e;
  }
  const flags = new Flags(parsed);
  if (flags.bool('help')) {
    inv.print(commandHelp(cmd, path));
    return undefined;
  }
  if (found.unknownSub !== undefined) throw new KubectlError(`error: unknown command ${JSON.stringify(found.unknownSub)}\nSee 'kubectl ${path} -h' for help and examples`);
  if (!cmd.run) {
    // A parent command alone prints its help and exits 1 (DefaultSubCommandRun).
    inv.print(commandHelp(cmd, path));
    inv.markFailed();
    return undefined;
  }
  const namespaceSet = flags.has('namespace');
  const ctx: CommandContext = {
    inv,
    cluster,
    reader: new StoreReader(cluster),
    namespace: namespaceSet ? flags.str('namespace') : 'default',
    namespaceSet,
    flags,
    args: parsed.positionals,
    path,
  };
  if (namespaceSet && ctx.namespace === '') throw new KubectlError('error: a resource cannot be retrieved by name across all namespaces');
  return { cmd, ctx };
}
