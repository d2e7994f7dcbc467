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
      'Lease/kube-node-lease/worker-a',
      'Lease/kube-node-lease/worker-b',
      // Leader election: kube-controller-manager's and kube-scheduler's Leases.
      'Lease/kube-system/kube-controller-manager',
      'Lease/kube-system/kube-scheduler',
      'PriorityClass/system-cluster-critical',
      'PriorityClass/system-node-critical',
    ]);
    const web = list.items.find((o: { metadata: { name: string } }) => o.metadata.name === 'web');
    expect(web.spec.nodeName).toBe('worker-a');
    // batch had no node: kube-scheduler placed it, said so in an Event and in the pod's annotations.
    const batch = list.items.find((o: { metadata: { name: string } }) => o.metadata.name === 'batch');
    expect(batch.spec.nodeName).toBe(batch.metadata.annotations['kubeviz.dev/selected-node']);
    const fromScheduler = (list.items as Array<Item & { source?: { component: string } }>).filter((o) => o.kind === 'Event' && o.source?.component === 'default-scheduler');
    // Its leader election's "<identity> became leader" is reported by the scheduler too, on its Lease.
    expect(fromScheduler.map((e) => [e.reason, e.involvedObject?.name])).toEqual([
      ['Scheduled', 'batch'],
      ['LeaderElection', 'kube-scheduler'],
    ]);
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
    const byKubectl = failed.filter((m: { from: string }) => m.from === 'kubectl');
    expect(byKubectl).toHaveLength(1);
    expect(byKubectl[0]).toMatchObject({ t: 20_000, from: 'kubectl', to: 'kube-apiserver', error: 'etcdserver: no leader' });
    // The scheduler and controller-manager could not renew their Leases from 10 s on (their renew round began
    // then) and stopped leading at its 10 s deadline; the "stopped leading" Events could not be written either.
    expect(failed.filter((m: { from: string }) => m.from !== 'kubectl').map((m: { t: number; from: string; resource: string }) => `${m.t} ${m.from} ${m.resource}`)).toEqual([
      '20000 kube-scheduler events',
      '20000 kube-controller-manager events',
    ]);
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

describe('sim run: kube-scheduler, as upstream decides', () => {
  type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string }; spec: { nodeName?: string }; status: Record<string, unknown>; reason?: string; message?: string; involvedObject?: { name: string } };
  const items = (file: string, until: string) => {
    const r = run('run', example(file), '--until', until);
    expect(r.code).toBe(0);
    return JSON.parse(r.out).items as Obj[];
  };
  const pod = (all: Obj[], name: string) => all.find((o) => o.kind === 'Pod' && o.metadata.name === name)!;

  it('binds web where the default profile scores highest and explains the whole cycle on the pod', () => {
    const all = items('scheduling.yaml', '10s');
    const web = pod(all, 'web');
    expect(web.spec.nodeName).toBe('node-b');
    const a = web.metadata.annotations!;
    expect(a['kubeviz.dev/selected-node']).toBe('node-b');
    // node-c is tainted dedicated=gpu:NoSchedule and web has no toleration.
    expect(JSON.parse(a['kubeviz.dev/filter-result'])['node-c']).toEqual({
      NodeUnschedulable: 'passed',
      NodeName: 'passed',
      TaintToleration: 'node(s) had untolerated taint {dedicated: gpu}',
    });
    // Raw scores, by hand. NodeResourcesFit (LeastAllocated, cpu and memory weight 1):
    //   node-a holds 2 cpu / 4Gi of 4 / 8Gi: with web 3000m, 5Gi -> cpu (4000-3000)*100/4000 = 25,
    //   memory (8-5)*100/8 = 37 (integer division) -> (25 + 37) / 2 = 31;
    //   node-b: 1000m, 1Gi -> 75 and 87 -> 81.
    // BalancedAllocation: node-a fractions 0.75 and 0.625, node-b 0.25 and 0.125: |diff|/2 = 0.0625 -> 93 on both.
    expect(JSON.parse(a['kubeviz.dev/score-result'])).toEqual({
      'node-a': { TaintToleration: 0, NodeResourcesFit: 31, NodeResourcesBalancedAllocation: 93, ImageLocality: 0 },
      'node-b': { TaintToleration: 0, NodeResourcesFit: 81, NodeResourcesBalancedAllocation: 93, ImageLocality: 0 },
    });
    // Final = normalized x weight: TaintToleration counts 0 everywhere -> reversed to 100, x3 = 300.
    expect(JSON.parse(a['kubeviz.dev/finalscore-result'])['node-b']).toEqual({ TaintToleration: 300, NodeResourcesFit: 81, NodeResourcesBalancedAllocation: 93, ImageLocality: 0 });
    const bySource = (o: Obj) => (o as Obj & { source?: { component: string } }).source?.component;
    expect(all.filter((o) => o.kind === 'Event' && o.involvedObject?.name === 'web' && bySource(o) === 'default-scheduler').map((e) => [e.reason, e.message])).toEqual([
      ['Scheduled', 'Successfully assigned default/web to node-b'],
    ]);
  });

  it('leaves huge pending with the upstream summary, since 16 cpu exceeds every node', () => {
    const huge = pod(items('scheduling.yaml', '10s'), 'huge');
    expect(huge.spec.nodeName).toBeUndefined();
    expect(huge.metadata.annotations!['kubeviz.dev/selected-node']).toBeUndefined();
    const cond = (huge.status.conditions as Array<{ type: string; status: string; reason: string; message: string }>).find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
  });

  it('preempts the node with the fewest, least important victims and binds the preemptor there', () => {
    const all = items('preemption.yaml', '10s');
    // node-a would lose two batch pods (priorities 10 + 10), node-b one (10): node-b wins on the sum.
    expect(pod(all, 'critical-api').spec.nodeName).toBe('node-b');
    expect(all.find((o) => o.metadata.name === 'batch-b1')).toBeUndefined();
    expect([pod(all, 'batch-a1').spec.nodeName, pod(all, 'batch-a2').spec.nodeName]).toEqual(['node-a', 'node-a']);
    const preempted = all.find((o) => o.kind === 'Event' && o.reason === 'Preempted')!;
    expect(preempted.involvedObject!.name).toBe('batch-b1');
    expect(preempted.message).toMatch(/^Preempted by pod [0-9a-f-]{36} on node node-b$/);
  });

  it('honours node affinity, pod (anti-)affinity and topology spread, with upstream reasons', () => {
    const all = items('affinity-and-spread.yaml', '10s');
    const zone = (node?: string) => all.find((o) => o.kind === 'Node' && o.metadata.name === node)?.metadata as { labels?: Record<string, string> } | undefined;
    const zoneOf = (p: string) => zone(pod(all, p).spec.nodeName)?.labels?.['topology.kubernetes.io/zone'];
    const filter = (p: string) => JSON.parse(pod(all, p).metadata.annotations!['kubeviz.dev/filter-result']);
    const raw = (p: string) => JSON.parse(pod(all, p).metadata.annotations!['kubeviz.dev/score-result']);
    const final = (p: string) => JSON.parse(pod(all, p).metadata.annotations!['kubeviz.dev/finalscore-result']);

    // Required affinity to app=db by zone: only zone-a (node-1, node-4) passes.
    expect(zoneOf('near-db')).toBe('zone-a');
    expect(filter('near-db')['node-2'].InterPodAffinity).toBe("node(s) didn't match pod affinity rules");
    // node-1 holds db-0 (1 cpu, 2Gi) and spread-1 (500m, 512Mi); with near-db: cpu (8000-2000)*100/8000 = 75,
    // memory (32768-3072)*100/32768 = 90 -> (75+90)/2 = 82; node-4 empty: 93 and 98 -> 95.
    expect(raw('near-db')['node-1'].NodeResourcesFit).toBe(82);
    expect(raw('near-db')['node-4'].NodeResourcesFit).toBe(95);
    expect(pod(all, 'near-db').spec.nodeName).toBe('node-4');

    // Anti-affinity keeps it out of zone-a, node affinity out of zone-c: zone-b, the emptier node-5.
    expect(pod(all, 'not-with-db').spec.nodeName).toBe('node-5');
    expect(filter('not-with-db')['node-4'].InterPodAffinity).toBe("node(s) didn't match pod anti-affinity rules");
    expect(filter('not-with-db')['node-3'].NodeAffinity).toBe("node(s) didn't match Pod's node affinity/selector");

    // Spread pods: zone-a 1, zone-b 1, zone-c 0; maxSkew 1 leaves only zone-c.
    expect(zoneOf('spread-3')).toBe('zone-c');
    expect(filter('spread-3')['node-1'].PodTopologySpread).toBe("node(s) didn't match pod topology spread constraints");

    // Preferred disktype=ssd, weight 50: raw 50 on node-ssd, normalized to 100, times NodeAffinity's weight 2.
    expect(raw('wants-ssd')['node-ssd'].NodeAffinity).toBe(50);
    expect(final('wants-ssd')['node-ssd'].NodeAffinity).toBe(200);
    expect(final('wants-ssd')['node-3'].NodeAffinity).toBe(0);
    expect(pod(all, 'wants-ssd').spec.nodeName).toBe('node-ssd');
  });
});
