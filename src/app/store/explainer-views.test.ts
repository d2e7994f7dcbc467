import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../sim/api/types';
import type { Cluster } from '../../sim/cluster';
import { loadScenario } from '../../scenario/load';
import { annotationFacts, cycleView, explainerInput, explainPod, sampleView, scoreView, type CycleFacts } from './explainer-views';

const SCHEDULING = readFileSync(new URL('../../scenario/examples/scheduling.yaml', import.meta.url), 'utf8');

/** The scheduling example, stepped event by event until kube-scheduler shows `point` for `pod`. */
function at(pod: string, point: string): Cluster {
  const c = loadScenario(SCHEDULING).cluster;
  while (!(c.scheduler.cycle?.pod === pod && c.scheduler.point === point)) if (!c.step()) throw new Error(`never reached ${pod} ${point}`);
  return c;
}

const explain = (c: Cluster, pod: string, cycleId?: string) => explainPod(explainerInput(c, pod, cycleId));

describe('scheduling explainer', () => {
  it('at Filter: the nodes x plugins table with passed or the upstream reason, and no scores yet', () => {
    const v = explain(at('default/web', 'filter'), 'default/web');
    expect(v.status).toBe('scheduling');
    expect(v.headline).toBe('kube-scheduler is scheduling default/web: Filter.');
    const cy = v.cycle!;
    expect(cy.live).toBe(true);
    expect(cy.current).toBe('filter');
    // The plugins that ran, in the default profile's order (those PreFilter skipped are not columns).
    expect(cy.filter!.plugins).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeResourcesFit']);
    const c = cy.filter!.rows.find((r) => r.node === 'node-c')!;
    expect(c).toMatchObject({ feasible: false, plugin: 'TaintToleration', reason: 'node(s) had untolerated taint {dedicated: gpu}' });
    // Filter stops at the first rejection: NodeResourcesFit never ran on node-c.
    expect(c.cells.map((x) => x.verdict)).toEqual(['passed', 'passed', 'failed', 'not-run']);
    expect(cy.filter!.rows.filter((r) => r.feasible).map((r) => r.node)).toEqual(['node-a', 'node-b']);
    expect(cy.score).toBeNull();
    expect(cy.chosen).toBeUndefined();
    expect(cy.marks).toEqual({ 'node-a': 'feasible', 'node-b': 'feasible', 'node-c': 'infeasible: node(s) had untolerated taint {dedicated: gpu}' });
    expect(cy.sample).toMatchObject({ numAllNodes: 3, examined: 3, feasible: 2, toFind: 3, rule: 'every node: fewer than 100 nodes (3)' });
    // The Filter plugins that ran: the default profile's, less the eight PreFilter skipped.
    expect(cy.steps[1].plugins).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeResourcesFit']);
    expect(cy.steps.map((s) => [s.label, s.state])).toEqual([
      ['PreFilter', 'done'],
      ['Filter', 'current'],
      ['PostFilter', 'not-run'],
      ['PreScore', 'upcoming'],
      ['Score', 'upcoming'],
      ['NormalizeScore', 'upcoming'],
      ['Reserve', 'upcoming'],
      ['Permit', 'upcoming'],
      ['PreBind', 'upcoming'],
      ['Bind', 'upcoming'],
      ['PostBind', 'upcoming'],
    ]);
  });

  it('at Score: raw scores only; at NormalizeScore: normalized, weighted, totals and the winner', () => {
    const raw = explain(at('default/web', 'score'), 'default/web').cycle!.score!;
    expect(raw.final).toBe(false);
    expect(raw.winner).toBeUndefined();
    const s = explain(at('default/web', 'normalizeScore'), 'default/web').cycle!;
    const sc = s.score!;
    expect(sc.final).toBe(true);
    // PreScore said Skip for these (no preferred affinity, no spread constraints, no volumes, no pod affinity).
    expect(sc.plugins.map((p) => [p.name, p.weight, p.skipped])).toEqual([
      ['TaintToleration', 3, false],
      ['NodeResourcesFit', 1, false],
      ['NodeResourcesBalancedAllocation', 1, false],
      ['ImageLocality', 1, false],
      ['NodeAffinity', 2, true],
      ['VolumeBinding', 1, true],
      ['PodTopologySpread', 2, true],
      ['InterPodAffinity', 2, true],
    ]);
    const row = (n: string) => sc.rows.find((r) => r.node === n)!;
    const cell = (n: string, p: string) => row(n).cells.find((x) => x?.plugin === p)!;
    // TaintToleration: no PreferNoSchedule taints, raw 0 on both; reversed DefaultNormalizeScore with max 0 gives 100; x3 = 300.
    expect(cell('node-a', 'TaintToleration')).toEqual({ plugin: 'TaintToleration', raw: 0, normalized: 100, weight: 3, weighted: 300 });
    // LeastAllocated (cpu and memory weight 1): node-a (4000-3000)*100/4000 = 25, (8Gi-5Gi)*100/8Gi = 37 -> 31;
    // node-b (4000-1000)*100/4000 = 75, (8Gi-1Gi)*100/8Gi = 87 -> 81. No normalization, weight 1.
    expect(cell('node-a', 'NodeResourcesFit')).toMatchObject({ raw: 31, normalized: 31, weighted: 31 });
    expect(cell('node-b', 'NodeResourcesFit')).toMatchObject({ raw: 81, normalized: 81, weighted: 81 });
    // BalancedAllocation: fractions node-a 0.75/0.625, node-b 0.25/0.125; std = |a-b|/2 = 0.0625 -> (1-0.0625)*100 = 93.
    expect(cell('node-b', 'NodeResourcesBalancedAllocation')).toMatchObject({ raw: 93, weighted: 93 });
    // ImageLocality: nginx:1.27 is on no node yet (nothing pulled at 1 ms) -> 0.
    expect(cell('node-b', 'ImageLocality')).toMatchObject({ raw: 0, weighted: 0 });
    expect(row('node-a').cells.find((x) => x?.plugin === 'NodeAffinity')).toBeUndefined();
    // Totals: node-b 300 + 81 + 93 + 0 = 474; node-a 300 + 31 + 93 + 0 = 424.
    expect(sc.rows.map((r) => [r.node, r.total, r.rank, r.winner])).toEqual([
      ['node-b', 474, 1, true],
      ['node-a', 424, 2, false],
    ]);
    expect(sc.tie).toEqual([]);
    expect(s.chosen).toBe('node-b');
    expect(s.marks['node-b']).toBe('chosen');
    expect(s.steps.find((x) => x.point === 'normalizeScore')!.note).toBe('node-b wins with 474');
    expect(s.bind).toEqual({ node: 'node-b', state: 'upcoming' });
  });

  it('at Bind the binding request is sent; afterwards the cycle is kept whole and the pod is bound', () => {
    expect(explain(at('default/web', 'bind'), 'default/web').cycle!.bind).toEqual({ node: 'node-b', state: 'sent' });
    const c = at('default/web', 'bind');
    c.runUntil(2000);
    const v = explain(c, 'default/web');
    expect(v.status).toBe('bound');
    expect(v.headline).toBe('Bound to node-b on attempt 1.');
    expect(v.cycle!.source).toBe('log');
    expect(v.cycle!.steps.every((s) => s.state === 'done' || s.state === 'not-run')).toBe(true);
    expect(v.cycle!.steps.find((s) => s.point === 'postFilter')).toMatchObject({ state: 'not-run', note: 'not needed: the pod fits' });
    expect(v.attempts.map((a) => a.reason)).toEqual(['Scheduled']);
  });

  it('a pending pod says why: the upstream summary, each node\'s reason and when it is tried again', () => {
    const c = at('default/huge', 'postFilter');
    c.runUntil(3000);
    const v = explain(c, 'default/huge');
    expect(v.status).toBe('pending');
    expect(v.pending!.summary).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    expect(v.pending!.perNode).toEqual([
      { node: 'node-a', plugin: 'NodeResourcesFit', reason: 'Insufficient cpu' },
      { node: 'node-b', plugin: 'NodeResourcesFit', reason: 'Insufficient cpu' },
      { node: 'node-c', plugin: 'TaintToleration', reason: 'node(s) had untolerated taint {dedicated: gpu}' },
    ]);
    // Among the unschedulable pods since its failure at 1 ms: the 5-minute flush moves it back by 05:00.001 at the latest.
    expect(v.queues.rows.unschedulable).toEqual([expect.objectContaining({ pod: 'default/huge', self: true, attempts: 1, flushAt: 300_001 })]);
    expect(v.pending!.next).toContain('at 05:00.001 at the latest');
    expect(v.cycle!.steps.find((s) => s.point === 'postFilter')!.note).toBe('preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(v.cycle!.marks).toEqual({ 'node-a': 'infeasible: Insufficient cpu', 'node-b': 'infeasible: Insufficient cpu', 'node-c': 'infeasible: node(s) had untolerated taint {dedicated: gpu}' });
  });

  it('every past cycle of a pod can be opened: a retry after a node changed, the first one still there', () => {
    const c = at('default/huge', 'postFilter');
    c.runUntil(2000);
    // Cordoning node-a updates a Node: a cluster event that sends the unschedulable pod back for another try.
    c.act({ action: 'cordon', node: 'node-a' });
    c.runUntil(4000);
    const v = explain(c, 'default/huge');
    expect(v.cycles.map((x) => [x.outcome, x.attempt])).toEqual([
      ['failed', 2],
      ['failed', 1],
    ]);
    expect(v.pending!.perNode[0]).toEqual({ node: 'node-a', plugin: 'NodeUnschedulable', reason: 'node(s) were unschedulable' });
    const first = explain(c, 'default/huge', v.cycles[1].id).cycle!;
    expect(first.id).toBe(v.cycles[1].id);
    expect(first.filter!.rows.find((r) => r.node === 'node-a')!.reason).toBe('Insufficient cpu');
    // The Event counts both: the same reason and message would bump one Event, a new message makes another.
    expect(v.attempts.map((a) => a.reason)).toEqual(['FailedScheduling', 'FailedScheduling']);
  });

  it('reads a cycle back from the pod annotations when the scheduler no longer keeps it', () => {
    const c = at('default/web', 'bind');
    c.runUntil(2000);
    const pod = c.objects().find((o) => o.kind === 'Pod' && o.metadata.name === 'web') as Pod;
    const f = annotationFacts(pod)!;
    expect(f).toMatchObject({ source: 'annotations', node: 'node-b', outcome: 'bound', evaluatedNodes: 3, feasibleNodes: 2 });
    const view = cycleView(f, { plugins: {}, weights: { TaintToleration: 3 }, percentageOfNodesToScore: 0 });
    expect(view.score!.winner).toBe('node-b');
    expect(view.score!.rows[0]).toMatchObject({ node: 'node-b', total: 474 });
  });

  it('makes ties visible: equal best totals are all marked tied, the winner among them', () => {
    const f: CycleFacts = {
      id: 'x',
      source: 'log',
      points: ['preFilter', 'filter', 'preScore', 'score', 'normalizeScore'],
      node: 'n2',
      filterResult: {},
      raw: { n1: { A: 50 }, n2: { A: 50 }, n3: { A: 10 } },
      final: { n1: { A: 100 }, n2: { A: 100 }, n3: { A: 20 } },
      skippedScore: [],
      skippedFilter: [],
      outcome: 'bound',
    };
    const s = scoreView(f, { A: 2 }, true);
    expect(s.tie).toEqual(['n1', 'n2']);
    expect(s.rows.map((r) => [r.node, r.rank, r.tied, r.winner])).toEqual([
      ['n1', 1, true, false],
      ['n2', 1, true, true],
      ['n3', 2, false, false],
    ]);
    // Weighted 100 at weight 2: normalized 50.
    expect(s.rows[0].cells[0]).toMatchObject({ normalized: 50, weight: 2, weighted: 100 });
  });

  it('names the examined-node sample as upstream computes it for big clusters', () => {
    const base: CycleFacts = { id: 'x', source: 'log', points: [], filterResult: {}, skippedScore: [], skippedFilter: [], outcome: 'bound', evaluatedNodes: 520, feasibleNodes: 500, startIndex: 1200 };
    // 5,000 nodes: 50 - 5000/125 = 10%: 500 feasible nodes.
    expect(sampleView({ ...base, numAllNodes: 5000 }, 0)).toMatchObject({ toFind: 500, rule: 'adaptive 50 - 5000/125 = 10% of 5000 nodes, at least 100: stop at 500 feasible', startIndex: 1200 });
    // 500 nodes: 50 - 4 = 46% is 230; 150 nodes: 48% is 72, raised to the minimum of 100.
    expect(sampleView({ ...base, numAllNodes: 500 }, 0)!.toFind).toBe(230);
    expect(sampleView({ ...base, numAllNodes: 150 }, 0)!.toFind).toBe(100);
    // A configured percentage: 20% of 1,000.
    expect(sampleView({ ...base, numAllNodes: 1000 }, 20)).toMatchObject({ toFind: 200, rule: 'percentageOfNodesToScore 20% of 1000 nodes, at least 100: stop at 200 feasible' });
  });
});
