// Command-line flags as spf13/pflag parses them for cobra (which kubectl is
// built on): flags anywhere among the arguments, `--` ends them,
// `--name=value` or `--name value`, booleans bare or `--name=false`,
// shorthands `-n default`, `-ndefault`, `-n=default`, `-oyaml`, grouped
// boolean shorthands `-wA`. The errors are pflag's, word for word.

export type FlagType = 'bool' | 'string' | 'int';

export interface FlagSpec {
  name: string;
  shorthand?: string;
  type: FlagType;
  /** The default as kubectl's help prints it. */
  default?: string;
  usage: string;
  /** Values tab completion offers. */
  values?: readonly string[];
}

export type FlagValue = string | number | boolean;

export interface ParsedArgs {
  /** Flags that were set, by long name. */
  flags: Map<string, FlagValue>;
  positionals: string[];
}

/** A parse failure; `message` is pflag's text (kubectl prefixes "error: " and adds the usage hint). */
export class FlagError extends Error {
  override name = 'FlagError';
}

const INT_RE = /^[+-]?\d+$/;
const BOOLS: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

function flagLabel(f: FlagSpec): string {
  return f.shorthand ? `-${f.shorthand}, --${f.name}` : `--${f.name}`;
}

function convert(f: FlagSpec, value: string): FlagValue {
  if (f.type === 'string') return value;
  if (f.type === 'bool') {
    if (value in BOOLS) return BOOLS[value];
    throw new FlagError(`invalid argument ${JSON.stringify(value)} for ${JSON.stringify(flagLabel(f))} flag: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  if (!INT_RE.test(value))
    throw new FlagError(`invalid argument ${JSON.stringify(value)} for ${JSON.stringify(flagLabel(f))} flag: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number(value);
}

/** Parses argv against the flags a command accepts (its own and the inherited ones). */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((f) => [f.name, f]));
  const byShort = new Map(specs.filter((f) => f.shorthand).map((f) => [f.shorthand!, f]));
  const flags = new Map<string, FlagValue>();
  const positionals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i++];
    if (a === '--') {
      positionals.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const f = byName.get(name);
      if (!f) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) flags.set(f.name, convert(f, a.slice(eq + 1)));
      else if (f.type === 'bool') flags.set(f.name, true);
      else if (i < argv.length) flags.set(f.name, convert(f, argv[i++]));
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      let shorts = a.slice(1);
      while (shorts.length > 0) {
        const c = shorts[0];
        const f = byShort.get(c);
        if (!f) throw new FlagError(`unknown shorthand flag: '${c}' in -${shorts}`);
        if (shorts.length > 2 && shorts[1] === '=') {
          flags.set(f.name, convert(f, shorts.slice(2)));
          shorts = '';
        } else if (f.type === 'bool') {
          flags.set(f.name, true);
          shorts = shorts.slice(1);
        } else if (shorts.length > 1) {
          flags.set(f.name, convert(f, shorts.slice(1)));
          shorts = '';
        } else if (i < argv.length) {
          flags.set(f.name, convert(f, argv[i++]));
          shorts = '';
        } else {
          throw new FlagError(`flag needs an argument: '${c}' in -${shorts}`);
        }
      }
      continue;
    }
    positionals.push(a);
  }
  return { flags, positionals };
}

/** Typed reads of parsed flags, with the spec's default when unset. */
export class Flags {
  constructor(private readonly parsed: ParsedArgs) {}

  has(name: string): boolean {
    return this.parsed.flags.has(name);
  }
  str(name: string, fallback = ''): string {
    const v = this.parsed.flags.get(name);
    return typeof v === 'string' ? v : fallback;
  }
  bool(name: string, fallback = false): boolean {
    const v = this.parsed.flags.get(name);
    return typeof v === 'boolean' ? v : fallback;
  }
  int(name: string, fallback: number): number {
    const v = this.parsed.flags.get(name);
    return typeof v === 'number' ? v : fallback;
  }
}
