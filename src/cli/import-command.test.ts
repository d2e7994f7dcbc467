import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioFile } from '../scenario/parse';
import { main } from './main';

const FIXTURE = fileURLToPath(new URL('../scenario/fixtures/kubectl-get-all.yaml', import.meta.url));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tempFile(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'kubeviz-import-')), 'dump.yaml');
  writeFileSync(f, text);
  return f;
}

describe('sim import', () => {
  it('prints the scenario of a kubectl dump on stdout and its notes on stderr', () => {
    const r = run('import', FIXTURE);
    expect(r.code).toBe(0);
    const { model } = parseScenarioFile(r.out);
    expect(model.name).toBe('imported-3-nodes');
    expect(model.objects.filter((o) => o.kind === 'Node').map((o) => o.metadata.name)).toEqual(['k8s-cp-1', 'k8s-worker-1', 'k8s-worker-2']);
    const notes = r.err.split('\n');
    expect(notes.every((l) => l.startsWith('sim: note: '))).toBe(true);
    expect(notes).toContain('sim: note: left-out: Service default/kubernetes: the simulated apiserver has its own `kubernetes` Service');
    expect(notes).toContain('sim: note: not-modelled: Pod kube-system/etcd-k8s-cp-1: a static pod (the mirror of a manifest on its node): kept as an ordinary pod bound to that node; the simulated kubelet has no static pod manifests, so nothing re-creates it');
  });

  it('the printed scenario runs: `sim run` of it has the imported pods on their nodes', () => {
    const scenario = tempFile(run('import', FIXTURE).out);
    const r = run('run', scenario, '--until', '30s');
    expect(r.code).toBe(0);
    const pod = JSON.parse(r.out).items.find((o: { kind: string; metadata: { name: string } }) => o.kind === 'Pod' && o.metadata.name === 'web-6b9f8d7c5-8hj4t');
    expect([pod.spec.nodeName, pod.status.phase]).toEqual(['k8s-worker-2', 'Running']);
  });

  it('a file that is not kubectl output exits 1 with the reason; bad usage exits 2', () => {
    const bad = tempFile('items: [\n  - a\n');
    const r = run('import', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^sim: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be imported: the input is not valid YAML or JSON: document 1, line \\d+: `));
    expect(r.out).toBe('');
    expect(run('import', join(tmpdir(), 'no-such-dump.yaml'))).toMatchObject({ code: 1, err: expect.stringMatching(/cannot read .*: no such file$/) });
    expect(run('import')).toMatchObject({ code: 2, err: expect.stringMatching(/^sim: import needs a FILE/) });
    expect(run('import', FIXTURE, 'other.yaml')).toMatchObject({ code: 2, err: expect.stringMatching(/^sim: import takes one FILE/) });
  });
});
