// completeKubectl: what Tab offers at the cursor, as kubectl's cobra
// completion (`kubectl __complete`) does: command and subcommand names, the
// command's flags, values of flags that have a known set (-o, -n, -c, ...),
// resource types, and the names of objects in the cluster (pods in the
// namespace for logs, nodes for cordon, `TYPE/` then names for
// `scale deployment/...`).
import type { Pod } from 'kubernetes-types/core/v1';
import type { Cluster } from '../sim/cluster';
import type { ArgCompletion, Command } from './commands/command';
import { GLOBAL_FLAGS } from './commands/command';
import { commands } from './commands/index';
import { findResource, KUBECTL_RESOURCES } from './resources';
import { resolveCommand } from './run';
import { parseFlags, type FlagSpec } from './shell/flags';
import { tokenize } from './shell/tokenize';
import { StoreReader } from './store-reader';

const uniqueSorted = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

function namesOf(cluster: Cluster, plural: string, namespace: string): string[] {
  const r = findResource(plural);
  if (!r) return [];
  return new StoreReader(cluster).list(r, r.info.namespaced ? namespace : undefined).map((o) => o.metadata.name ?? '');
}

const TYPE_NAMES = KUBECTL_RESOURCES.map((r) => r.plural);

function flagValues(cluster: Cluster, f: FlagSpec, namespace: string, args: readonly string[]): string[] {
  if (f.name === 'namespace') return namesOf(cluster, 'namespaces', namespace);
  if (f.name === 'container' && args[0]) {
    const pod = new StoreReader(cluster).get(findResource('pods')!, namespace, args[0].replace(/^pods?\//, '')) as unknown as Pod | undefined;
    return [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])].map((c) => c.name);
  }
  return [...(f.values ?? [])];
}

function positional(cluster: Cluster, spec: ArgCompletion | undefined, index: number, args: readonly string[], partial: string, namespace: string): string[] {
  if (!spec) return [];
  const slash = partial.indexOf('/');
  if (slash >= 0) return namesOf(cluster, findResource(partial.slice(0, slash))?.plural ?? '', namespace).map((n) => `${partial.slice(0, slash)}/${n}`);
  if (spec === 'resources') {
    if (index === 0) return TYPE_NAMES;
    const type = args[0].split(',')[0];
    return args[0].includes('/') ? [] : namesOf(cluster, findResource(type)?.plural ?? '', namespace);
  }
  if ('names' in spec) return namesOf(cluster, spec.names, namespace);
  if (index === 0) return [...spec.typedNames];
  return args[0].includes('/') ? [] : namesOf(cluster, findResource(args[0])?.plural ?? '', namespace);
}

/** Candidates for the word at `cursor` (default: the end of the line), each a whole word. */
export function completeKubectl(cluster: Cluster, line: string, cursor = line.length): string[] {
  const text = line.slice(0, cursor);
  const t = tokenize(text);
  const words = t.tokens.map((x) => x.value);
  const endsInBlank = !t.unterminated && (text.length === 0 || /\s$/.test(text));
  const partial = endsInBlank ? '' : (words.pop() ?? '');
  if (words[0] === 'kubectl') words.shift();
  const all = commands();
  const found = resolveCommand(words, all);
  const cmd: Command | undefined = found && 'cmd' in found && !found.unknownSub ? found.cmd : undefined;
  const flags = [...(cmd?.flags ?? []), ...GLOBAL_FLAGS];
  const argv = found && 'cmd' in found ? found.argv : words;
  // Previous words as the command will read them (namespace, positionals), ignoring a flag left unfinished.
  let parsed: ReturnType<typeof parseFlags> | undefined;
  for (const attempt of [argv, argv.slice(0, -1)]) {
    try {
      parsed = parseFlags(attempt, flags);
      break;
    } catch {
      // "-c <TAB>": the flag still waits for its value; read the words before it.
    }
  }
  const nsValue = parsed?.flags.get('namespace');
  const namespace = typeof nsValue === 'string' ? nsValue : 'default';
  const args = parsed?.positionals ?? [];
  const filter = (xs: readonly string[], prefix = '') => uniqueSorted(xs.map((x) => prefix + x).filter((x) => x.startsWith(partial)));

  // A value for the flag just before: "-n <TAB>", "--output <TAB>".
  const prev = words[words.length - 1];
  if (prev?.startsWith('-') && !prev.includes('=')) {
    const f = prev.startsWith('--') ? flags.find((x) => x.name === prev.slice(2)) : flags.find((x) => x.shorthand === prev.slice(-1) && prev.length === 2);
    if (f && f.type !== 'bool') return filter(flagValues(cluster, f, namespace, args));
  }
  // "--namespace=ku<TAB>"
  if (partial.startsWith('--') && partial.includes('=')) {
    const name = partial.slice(2, partial.indexOf('='));
    const f = flags.find((x) => x.name === name);
    return f ? filter(flagValues(cluster, f, namespace, args), `--${name}=`) : [];
  }
  if (partial.startsWith('-')) return filter(flags.map((f) => `--${f.name}`));
  if (!cmd) return words.length === 0 ? filter([...all.map((c) => c.name), 'help']) : [];
  if (cmd.subcommands && !cmd.run) return filter(cmd.subcommands.map((s) => s.name));
  if (cmd.subcommands && args.length === 0) {
    const subs = filter(cmd.subcommands.map((s) => s.name));
    if (subs.length) return subs;
  }
  return filter(positional(cluster, cmd.completeArgs, args.length, args, partial, namespace));
}
