// sim run FILE and sim url FILE on a session the app saved (src/scenario/session-file.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/gallery/default-scenario';
import { decodeShareFragment } from '../scenario/share-codec';
import { writeSessionFile } from '../scenario/session-file';
import { main } from './main';

function sim(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'kubeviz-session-'));
function fileWith(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

type Item = { kind: string; metadata: { name: string }; spec?: { replicas?: number; unschedulable?: boolean } };
const items = (out: string) => JSON.parse(out).items as Item[];

describe('sim on a saved session', () => {
  const session = {
    scenario: DEFAULT_SCENARIO_YAML,
    actions: [
      { at: 31_200, action: 'scale' as const, kind: 'Deployment', name: 'web', namespace: 'default', replicas: 6 },
      { at: 40_000, action: 'cordon' as const, node: 'node-3' },
    ],
    at: 60_000,
  };
  const file = fileWith('session.yaml', writeSessionFile(session, 'default'));

  it('run FILE replays its actions, as the share link of the same session does', () => {
    const run = sim('run', file, '--until', '60s');
    expect(run.code).toBe(0);
    const web = items(run.out).find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    expect(web.spec?.replicas).toBe(6);
    expect(items(run.out).find((o) => o.kind === 'Node' && o.metadata.name === 'node-3')!.spec?.unschedulable).toBe(true);
    const url = sim('url', file);
    expect(url.code).toBe(0);
    expect(sim('run', '--url', url.out, '--until', '60s').out).toBe(run.out);
  });

  it('url FILE keeps the instant the session was saved at, unless --at says', () => {
    expect(decodeShareFragment(sim('url', file).out).at).toBe(60_000);
    expect(decodeShareFragment(sim('url', file, '--at', '2m').out).at).toBe(120_000);
    const early = sim('url', file, '--at', '35s');
    expect(early.code).toBe(2);
    expect(early.err).toContain("--at: must not be before the session's last action (40s)");
  });

  it('a bad Session document is reported with its document and line, exit 1', () => {
    const bad = fileWith('bad.yaml', writeSessionFile(session).replace('node: node-3', 'node: 7'));
    const run = sim('run', bad, '--until', '10s');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/document \d+ \(Session\), line \d+: spec\.actions\[1\]\.node: Invalid value: 7: must be a string/);
  });
});
