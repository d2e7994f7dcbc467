// The shape of a kubectl command, as cobra builds them in
// staging/src/k8s.io/kubectl/pkg/cmd: a name, a one-line summary, a usage
// line, its flags (plus the global ones) and either a run function or
// subcommands.
import type { Cluster } from '../../sim/cluster';
import type { Invocation } from '../result';
import type { Flags, FlagSpec } from '../shell/flags';
import type { StoreReader } from '../store-reader';

export interface CommandContext {
  inv: Invocation;
  cluster: Cluster;
  reader: StoreReader;
  /** -n/--namespace, else "default". */
  namespace: string;
  /** True when -n/--namespace was given. */
  namespaceSet: boolean;
  flags: Flags;
  /** Positional arguments after the command path. */
  args: string[];
  /** "get", "rollout status": for messages that name the command. */
  path: string;
}

/** What the positional argument at the cursor may be, for tab completion. */
export type ArgCompletion =
  /** Resource types, then names of that type (get, describe, delete, label, ...). */
  | 'resources'
  /** Names of one type (nodes for cordon, pods for logs). */
  | { names: string }
  /** type/name of the kinds a command takes (scale deployment/web). */
  | { typedNames: readonly string[] };

export interface Command {
  name: string;
  aliases?: readonly string[];
  /** The one-line summary `kubectl --help` lists. */
  short: string;
  /** After "Usage:\n  ". */
  usage: string;
  examples?: readonly string[];
  flags: readonly FlagSpec[];
  subcommands?: readonly Command[];
  /** Group in `kubectl --help`. */
  group?: string;
  run?(ctx: CommandContext): void;
  completeArgs?: ArgCompletion;
}

export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'namespace', shorthand: 'n', type: 'string', usage: 'If present, the namespace scope for this CLI request' },
  { name: 'help', shorthand: 'h', type: 'bool', default: 'false', usage: 'help for this command' },
];

/** Flags most read commands share. */
export const SELECTOR_FLAG = {
  name: 'selector',
  shorthand: 'l',
  type: 'string',
  usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
} as const satisfies FlagSpec;
export const ALL_NAMESPACES_FLAG = {
  name: 'all-namespaces',
  shorthand: 'A',
  type: 'bool',
  default: 'false',
  usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
} as const satisfies FlagSpec;
