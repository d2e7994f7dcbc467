// sim url FILE and sim run --url FRAGMENT: share links headless.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeShareFragment } from '../scenario/share-codec';
import { main } from './main';

const file = fileURLToPath(new URL('../scenario/examples/node-failure.yaml', import.meta.url));

function sim(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sim url and run --url', () => {
  it('prints a fragment that runs to the same objects as the file', () => {
    const url = sim('url', file, '--at', '30s');
    expect(url.code).toBe(0);
    expect(url.out).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    const fromLink = sim('run', '--url', `https://example.test/kubeviz/${url.out}`, '--until', '400s');
    const fromFile = sim('run', file, '--until', '400s');
    expect(fromLink.code).toBe(0);
    expect(fromLink.out).toBe(fromFile.out);
  });

  it("replays the link's user actions at their instants, and none after --until", () => {
    const scenario = readFileSync(file, 'utf8');
    const fragment = encodeShareFragment({
      scenario,
      actions: [
        { at: 5_000, action: 'cordon', node: 'node-2' },
        { at: 90_000, action: 'uncordon', node: 'node-2' },
      ],
      at: 120_000,
    });
    const node2 = (out: string) => (JSON.parse(out).items as Array<{ kind: string; metadata: { name: string }; spec?: { unschedulable?: boolean } }>).find((o) => o.kind === 'Node' && o.metadata.name === 'node-2')!;
    expect(node2(sim('run', '--url', fragment, '--until', '60s').out).spec?.unschedulable).toBe(true);
    expect(node2(sim('run', '--url', fragment, '--until', '100s').out).spec?.unschedulable).toBeUndefined();
  });

  it('says what is wrong with a damaged link, and refuses a file and a link together', () => {
    const bad = sim('run', '--url', '#s=AAAA', '--until', '1s');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^sim: --url: This link is damaged/);
    const both = sim('run', file, '--url', '#s=AAAA', '--until', '1s');
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/a FILE or --url, not both/);
  });

  it('reports an invalid scenario file with its line instead of a link', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'kubeviz-')), 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: Nope\nmetadata: {name: x}\n');
    const r = sim('url', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not a valid scenario:\n.*line 2/);
    expect(r.out).toBe('');
  });
});
