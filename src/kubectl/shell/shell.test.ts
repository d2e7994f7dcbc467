import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags, type FlagSpec } from './flags';
import { tokenize } from './tokenize';

describe('tokenize: words as bash splits them', () => {
  it('splits on blanks and keeps quoted text whole', () => {
    const t = tokenize(`get pods -l 'app in (web, api)' --field "a b" x\\ y`);
    expect(t.tokens.map((w) => w.value)).toEqual(['get', 'pods', '-l', 'app in (web, api)', '--field', 'a b', 'x y']);
  });

  it('keeps word positions for completion', () => {
    expect(tokenize('get  po').tokens.map((w) => [w.start, w.end])).toEqual([
      [0, 3],
      [5, 7],
    ]);
  });

  it('double quotes honour \\" but single quotes take backslashes literally', () => {
    expect(tokenize(`"a \\"b\\"" 'c\\d'`).tokens.map((w) => w.value)).toEqual(['a "b"', 'c\\d']);
  });

  it('reports an unterminated quote and an unquoted pipe', () => {
    expect(tokenize(`get pods -l 'app=web`).unterminated).toBe("'");
    expect(tokenize('get pods | grep web').operator).toBe('|');
    expect(tokenize("annotate pod x 'a=b|c'").operator).toBeUndefined();
  });
});

const specs: FlagSpec[] = [
  { name: 'namespace', shorthand: 'n', type: 'string', usage: '' },
  { name: 'output', shorthand: 'o', type: 'string', usage: '' },
  { name: 'watch', shorthand: 'w', type: 'bool', usage: '' },
  { name: 'all-namespaces', shorthand: 'A', type: 'bool', usage: '' },
  { name: 'replicas', type: 'int', usage: '' },
];

describe('parseFlags: pflag semantics', () => {
  it('reads every spelling kubectl users type', () => {
    const p = parseFlags(['pods', '-n', 'kube-system', '-owide', '--replicas=3', '-wA', 'web'], specs);
    expect(p.positionals).toEqual(['pods', 'web']);
    expect(Object.fromEntries(p.flags)).toEqual({ namespace: 'kube-system', output: 'wide', replicas: 3, watch: true, 'all-namespaces': true });
    expect(Object.fromEntries(parseFlags(['-o=yaml', '--watch=false', '--namespace', 'x'], specs).flags)).toEqual({ output: 'yaml', watch: false, namespace: 'x' });
  });

  it('stops at -- and keeps the rest as arguments', () => {
    expect(parseFlags(['run', '--', 'sleep', '-n', '5'], specs).positionals).toEqual(['run', 'sleep', '-n', '5']);
  });

  it.each([
    [['--bogus'], 'unknown flag: --bogus'],
    [['-z'], "unknown shorthand flag: 'z' in -z"],
    [['-wz'], "unknown shorthand flag: 'z' in -z"],
    [['-n'], "flag needs an argument: 'n' in -n"],
    [['--namespace'], 'flag needs an argument: --namespace'],
    [['--replicas=x'], 'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [['--watch=maybe'], 'invalid argument "maybe" for "-w, --watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
  ])('%j fails with pflag\'s message', (argv, message) => {
    expect(() => parseFlags(argv, specs)).toThrow(new FlagError(message));
  });
});
