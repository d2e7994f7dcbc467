import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const example = (name: string) => fileURLToPath(new URL(`../scenario/examples/${name}`, import.meta.url));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tempFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeviz-cli-'));
  const f = join(dir, 'scenario.yaml');
  writeFileSync(f, text);
  return f;
}

describe('sim run', () => {
  it('prints a v1 List of every object, in a stable order, from a file of Node and Pod manifests', () => {
    const r = run('run', example('nodes-and-pods.yaml'), '--until', '30s');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    type Item = { kind: string; metadata: { namespace?: string; name: string }; reason?: string; involvedObject?: { name: string } };
    const ids = (list.items as Item[]).filter((o) => o.kind !== 'Event').map((o) => [o.kind, o.metadata.namespace, o.metadata.name].filter(Boolean).join('/'));
    expect(ids).toEqual([
      'Namespace/default',
      'Namespace/kube-node-lease',
      'Namespace/kube-public',
      'Namespace/kube-system',
      'Node/worker-a',
      'Node/worker-b',
      'Pod/default/batch',
      'Pod/default/web',
      'Service/default/kubernetes',
    ]);
    const web = list.items.find((o: { metadata: { name: string } }) => o.metadata.name === 'web');
    expect(web.spec.nodeName).toBe('worker-a');
    // batch had no node: kube-scheduler placed it, said so in an Event and in the pod's annotations.
    const batch = list.items.find((o: { metadata: { name: string } }) => o.metadata.name === 'batch');
    expect(batch.spec.nodeName).toBe(batch.metadata.annotations['kubeviz.dev/selected-node']);
    const events = (list.items as Item[]).filter((o) => o.kind === 'Event');
    expect(events.map((e) => [e.reason, e.involvedObject?.name])).toEqual([['Scheduled', 'batch']]);
    expect(list.trace).toBeUndefined();
  });

  it('prints byte-identical output on two runs (determinism)', () => {
    const a = run('run', example('etcd-quorum-loss.yaml'), '--until', '2m', '--trace');
    const b = run('run', example('etcd-quorum-loss.yaml'), '--until', '2m', '--trace');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
  });

  it('a different --seed gives different uids', () => {
    const a = JSON.parse(run('run', example('nodes-and-pods.yaml'), '--until', '1s').out);
    const b = JSON.parse(run('run', example('nodes-and-pods.yaml'), '--until', '1s', '--seed', '99').out);
    expect(a.items[0].metadata.uid).not.toBe(b.items[0].metadata.uid);
  });

  it('--trace adds the wire messages, with failed writes while etcd had no quorum', () => {
    const r = run('run', example('etcd-quorum-loss.yaml'), '--until', '1m', '--trace');
    const list = JSON.parse(r.out);
    const names = list.items.map((o: { metadata: { name: string } }) => o.metadata.name);
    expect(names).toContain('in-time');
    expect(names).not.toContain('too-late');
    const failed = list.trace.filter((m: { verb: string; ok: boolean; t: number }) => m.verb === 'create' && !m.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ t: 20_000, from: 'kubectl', to: 'kube-apiserver', error: 'etcdserver: no leader' });
    expect(list.trace.some((m: { verb: string }) => m.verb === 'raft heartbeat')).toBe(true);
    // etcd-1 led, and the one member left cannot elect itself.
    expect(r.err).toContain('sim: warning: at 20s apply: etcdserver: no leader');
  });

  it('exits non-zero with a message naming the document and line of a bad manifest', () => {
    const f = tempFile('apiVersion: v1\nkind: Node\nmetadata:\n  name: Bad_Name\n');
    const r = run('run', f, '--until', '1s');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('document 1 (Node "Bad_Name"), line 4: metadata.name: Invalid value: "Bad_Name"');
  });

  it('exits non-zero on malformed YAML, naming the line', () => {
    const f = tempFile('apiVersion: v1\nkind: Node\nmetadata: {name: a\n');
    const r = run('run', f, '--until', '1s');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/document 1, line \d+: YAML syntax error/);
  });

  it.each([
    [['run'], 'run needs a scenario FILE'],
    [['run', 'x.yaml'], 'run needs --until DURATION'],
    [['run', 'x.yaml', '--until', 'soon'], '--until: invalid duration "soon"'],
    [['run', 'x.yaml', '--until', '5m', '--colour'], "Unknown option '--colour'"],
    [['fly'], 'unknown command "fly"'],
  ])('rejects bad usage %j with exit 2', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('says when the file does not exist', () => {
    const r = run('run', '/nonexistent/scenario.yaml', '--until', '1s');
    expect(r.code).toBe(1);
    expect(r.err).toBe('sim: cannot read /nonexistent/scenario.yaml: no such file');
  });
});
