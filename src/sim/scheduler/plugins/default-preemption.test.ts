// DefaultPreemption against a fake Handle whose only Filter is "the cpu
// requests of the node's pods plus the pod's fit in allocatable cpu", so each
// case can be worked out by hand (the reasoning is in the comments).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { timestamp } from '../../kernel/time';
import { PluginArgsError } from '../framework/registry';
import { newPodInfo } from '../framework/resources';
import type { Status } from '../framework/status';
import { SUCCESS, unresolvable, unschedulable } from '../framework/status';
import type { Handle, NodeInfo, NodeToStatus, PodInfo, Resource } from '../framework/types';
import { CycleState } from '../framework/types';
import { DEFAULT_PREEMPTION, DefaultPreemption, defaultPreemptionArgs, newDefaultPreemption } from './default-preemption';
import { calculateNumCandidates, pickOneNodeForPreemption } from './preemption-candidates';

// ---- fixtures ------------------------------------------------------------------

interface PodOpts {
  priority?: number;
  /** milli-cpu requested by the one container. */
  cpu?: number;
  /** Start time in virtual seconds (status.startTime). */
  start?: number;
  nominatedNodeName?: string;
  preemptionPolicy?: 'Never' | 'PreemptLowerPriority';
  terminatingByPreemption?: boolean;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: timestamp(0),
      ...(o.terminatingByPreemption ? { deletionTimestamp: timestamp(500_000) } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: `${o.cpu ?? 0}m` } } }],
      priority: o.priority ?? 0,
      ...(o.preemptionPolicy ? { preemptionPolicy: o.preemptionPolicy } : {}),
    },
    status: {
      ...(o.start !== undefined ? { startTime: timestamp(o.start * 1000) } : {}),
      ...(o.nominatedNodeName ? { nominatedNodeName: o.nominatedNodeName } : {}),
      ...(o.terminatingByPreemption
        ? { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] }
        : {}),
    },
  };
}

const resource = (milliCPU: number): Resource => ({ milliCPU, memory: 0, ephemeralStorage: 0, allowedPodNumber: 110, scalar: {} });

function nodeInfo(name: string, cpu: number, pods: Pod[]): NodeInfo {
  const infos = pods.map(newPodInfo);
  return {
    node: { apiVersion: 'v1', kind: 'Node', metadata: { name } },
    name,
    pods: infos,
    podsWithAffinity: [],
    podsWithRequiredAntiAffinity: [],
    usedPorts: [],
    requested: resource(infos.reduce((s, p) => s + p.requests.milliCPU, 0)),
    nonZeroRequested: { milliCPU: 0, memory: 0 },
    allocatable: resource(cpu),
    imageStates: {},
    generation: 1,
  };
}

interface FakeHandle extends Handle {
  /** Nodes Filter ran on, in order. */
  filtered: string[];
}

function fakeHandle(nodes: NodeInfo[], o: { nominated?: Record<string, Pod[]>; offset?: number } = {}): FakeHandle {
  const filtered: string[] = [];
  return {
    filtered,
    snapshot: () => ({
      list: () => nodes,
      get: (n) => nodes.find((x) => x.name === n),
      havePodsWithAffinity: () => [],
      havePodsWithRequiredAntiAffinity: () => [],
    }),
    // The one Filter: the pods' cpu requests plus the pod's within allocatable.
    runFilterPlugins: (_state, p, ni): Status => {
      filtered.push(ni.name);
      const used = ni.pods.reduce((s, pi) => s + pi.requests.milliCPU, 0);
      return used + newPodInfo(p).requests.milliCPU <= ni.allocatable.milliCPU ? SUCCESS : unschedulable('Insufficient cpu');
    },
    runPreFilterExtensionAddPod: () => SUCCESS,
    runPreFilterExtensionRemovePod: () => SUCCESS,
    nominatedPodsForNode: (n): PodInfo[] => (o.nominated?.[n] ?? []).map(newPodInfo),
    randomInt: (n) => (o.offset ?? 0) % n,
  };
}

/** Every node failed Filter with a status preemption may resolve. */
const allUnschedulable = (nodes: NodeInfo[]): NodeToStatus => new Map(nodes.map((n) => [n.name, unschedulable('Insufficient cpu')]));

function preempt(nodes: NodeInfo[], preemptor: Pod, o: Parameters<typeof fakeHandle>[1] & { filtered?: NodeToStatus; args?: Record<string, unknown> } = {}) {
  const handle = fakeHandle(nodes, o);
  const plugin = newDefaultPreemption(o.args, handle) as DefaultPreemption;
  const out = plugin.postFilter(new CycleState(), preemptor, o.filtered ?? allUnschedulable(nodes));
  const names = (ps: Pod[] | undefined) => (ps ?? []).map((p) => p.metadata?.name);
  return { ...out, handle, node: out.result?.nominatedNodeName, victims: names(out.result?.victims), cleared: names(out.result?.clearNomination) };
}

// ---- victims on one node ---------------------------------------------------------

describe('DefaultPreemption: victims on a node', () => {
  it('evicts the lowest-priority pods and reprieves the more important ones that fit', () => {
    // n1 has 4000m, full: p1, p5, p8 (lower than the preemptor) and p10 (equal: never a victim).
    // Without p1, p5, p8: 1000 (p10) + 1000 (preemptor) = 2000 fits.
    // Reprieve most important first: +p8 -> 3000 fits; +p5 -> 4000 fits; +p1 -> 5000 does not: p1 is the victim.
    const n1 = nodeInfo('n1', 4000, [
      pod('p1', { priority: 1, cpu: 1000 }),
      pod('p5', { priority: 5, cpu: 1000 }),
      pod('p8', { priority: 8, cpu: 1000 }),
      pod('p10', { priority: 10, cpu: 1000 }),
    ]);
    const r = preempt([n1], pod('preemptor', { priority: 10, cpu: 1000 }));
    expect(r.status).toEqual({ code: 'Success', reasons: [] });
    expect(r.node).toBe('n1');
    expect(r.victims).toEqual(['p1']);
  });

  it('lists victims most important first', () => {
    // The preemptor needs 2000m: without victims 1000 (p10) + 2000 = 3000 fits.
    // +p8 -> 4000 fits; +p5 -> 5000 no (victim); +p1 -> 5000 no (victim). Victims [p5, p1].
    const n1 = nodeInfo('n1', 4000, [
      pod('p1', { priority: 1, cpu: 1000 }),
      pod('p5', { priority: 5, cpu: 1000 }),
      pod('p8', { priority: 8, cpu: 1000 }),
      pod('p10', { priority: 10, cpu: 1000 }),
    ]);
    expect(preempt([n1], pod('preemptor', { priority: 10, cpu: 2000 })).victims).toEqual(['p5', 'p1']);
  });

  it('at equal priority reprieves the pod that started earlier', () => {
    // old (started at 50s) and young (100s), both priority 1, fill 2000m. Without both the
    // 1000m preemptor fits; MoreImportantPod puts old first: +old -> 2000 fits, +young -> no.
    const n1 = nodeInfo('n1', 2000, [pod('young', { priority: 1, cpu: 1000, start: 100 }), pod('old', { priority: 1, cpu: 1000, start: 50 })]);
    expect(preempt([n1], pod('preemptor', { priority: 10, cpu: 1000 })).victims).toEqual(['young']);
  });

  it('falls back to creationTimestamp when a pod has no startTime', () => {
    // Both priority 1; "made-late" has no startTime and was created at 300s, "started" started at 200s:
    // started is more important and is reprieved.
    const base = pod('made-late', { priority: 1, cpu: 1000 });
    const late: Pod = { ...base, metadata: { ...base.metadata, creationTimestamp: timestamp(300_000) } };
    const n1 = nodeInfo('n1', 2000, [late, pod('started', { priority: 1, cpu: 1000, start: 200 })]);
    expect(preempt([n1], pod('preemptor', { priority: 10, cpu: 1000 })).victims).toEqual(['made-late']);
  });

  it('never evicts a pod of equal priority', () => {
    // n1 is full with a pod of the preemptor's own priority: no potential victim at all.
    const n1 = nodeInfo('n1', 2000, [pod('peer', { priority: 10, cpu: 2000 })]);
    const r = preempt([n1], pod('preemptor', { priority: 10, cpu: 1000 }));
    expect(r.status).toEqual({
      code: 'Unschedulable',
      reasons: ['preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'],
    });
    // Preemption cannot help: the plan clears the preemptor's own nomination.
    expect(r.result).toEqual({ nominatedNodeName: '', victims: [], clearNomination: [] });
  });

  it('counts higher-priority pods nominated to the node as if they ran there', () => {
    // n1 3000m: low1 (p1), low2 (p2), 1000m free; "nominee" (p20, 1000m) is nominated to n1.
    // Without victims: 1000 (nominee) + 2000 = 3000 fits. +low2 -> 4000 no; +low1 -> 4000 no.
    // Ignoring the nomination only low1 would go (1000 + 2000 = 3000 with low2 back).
    const n1 = nodeInfo('n1', 3000, [pod('low1', { priority: 1, cpu: 1000 }), pod('low2', { priority: 2, cpu: 1000 })]);
    const r = preempt([n1], pod('preemptor', { priority: 10, cpu: 2000 }), { nominated: { n1: [pod('nominee', { priority: 20, cpu: 1000 })] } });
    expect(r.victims).toEqual(['low2', 'low1']);
    // A lower-priority nominee is not counted, and its nomination is cleared in the plan.
    const r2 = preempt([n1], pod('preemptor', { priority: 10, cpu: 2000 }), { nominated: { n1: [pod('small', { priority: 3, cpu: 1000 })] } });
    expect(r2.victims).toEqual(['low1']);
    expect(r2.cleared).toEqual(['small']);
  });

  it('leaves victims already being deleted out of the plan (no second delete)', () => {
    // Both pods must go (the preemptor needs the whole node); "going" is already terminating.
    const n1 = nodeInfo('n1', 2000, [pod('going', { priority: 1, cpu: 1000, terminatingByPreemption: true }), pod('stays', { priority: 2, cpu: 1000 })]);
    const r = preempt([n1], pod('preemptor', { priority: 10, cpu: 2000 }));
    expect(r.node).toBe('n1');
    expect(r.victims).toEqual(['stays']);
  });
});

// ---- choosing the node -----------------------------------------------------------

/** A node of 2000m filled exactly by `pods`; the preemptor asks for 2000m, so every pod is a victim. */
const full = (name: string, pods: Array<[string, number, number?]>): NodeInfo => {
  const each = Math.floor(2000 / pods.length);
  // The last pod takes the remainder so the node is exactly full.
  const cpu = (i: number) => (i === pods.length - 1 ? 2000 - each * (pods.length - 1) : each);
  return nodeInfo(
    name,
    2000,
    pods.map(([n, priority, start], i) => pod(n, { priority, cpu: cpu(i), start })),
  );
};
const bigPreemptor = (priority = 100) => pod('preemptor', { priority, cpu: 2000 });

describe('DefaultPreemption: picking the node', () => {
  it('1. prefers the lowest highest-victim priority, even with more victims and a larger sum', () => {
    // n1: one victim at 5. n2: victims 3 and 3 (more victims, larger sum with the offset), highest 3 < 5.
    const r = preempt([full('n1', [['a', 5]]), full('n2', [['b', 3], ['c', 3]])], bigPreemptor());
    expect(r.node).toBe('n2');
    expect(r.victims).toEqual(['b', 'c']);
  });

  it('2. then the smallest sum of priorities, counted with the 2^31 offset', () => {
    // Highest victim 5 on both. n1: [5, 4] sum 9 + 2*2^31; n2: [5, 1] sum 6 + 2*2^31 -> n2.
    expect(preempt([full('n1', [['a', 5], ['b', 4]]), full('n2', [['c', 5], ['d', 1]])], bigPreemptor()).node).toBe('n2');
    // Negative priorities: n1 [5] = 5 + 2^31; n2 [5, -10] = -5 + 2*2^31. Without the offset n2 (-5)
    // would win; with it n1 does: the extra victim costs more than its negative priority saves.
    expect(preempt([full('n1', [['a', 5]]), full('n2', [['c', 5], ['d', -10]])], bigPreemptor()).node).toBe('n1');
  });

  it('3. then the fewest victims (reachable only when sums tie across counts)', () => {
    // With the offset, equal sums need counts that differ by a sum gap of 2^31:
    // n1 [H, H] = 2H + 2*2^31; n2 [H, -1, -1] = H - 2 + 3*2^31, equal when H = 2^31 - 2.
    const H = 2 ** 31 - 2;
    const r = preempt([full('n2', [['a', H], ['b', -1], ['c', -1]]), full('n1', [['d', H], ['e', H]])], bigPreemptor(2 ** 31 - 1));
    expect(r.node).toBe('n1');
  });

  it('4. then the latest earliest-start among the highest-priority victims', () => {
    // Same priorities and counts. n1's priority-5 victims started at 100s and 400s (earliest 100);
    // n2's at 200s and 250s (earliest 200). n2 has the later earliest start: its work is younger.
    const r = preempt(
      [
        full('n1', [
          ['a', 5, 100],
          ['b', 5, 400],
        ]),
        full('n2', [
          ['c', 5, 200],
          ['d', 5, 250],
        ]),
      ],
      bigPreemptor(),
    );
    expect(r.node).toBe('n2');
  });

  it('5. then the first candidate found, in dry-run order from the random offset', () => {
    const nodes = () => [full('n1', [['a', 5, 100]]), full('n2', [['b', 5, 100]]), full('n3', [['c', 5, 100]])];
    expect(preempt(nodes(), bigPreemptor(), { offset: 0 }).node).toBe('n1');
    // Offset 1: the dry run goes n2, n3, n1.
    expect(preempt(nodes(), bigPreemptor(), { offset: 1 }).node).toBe('n2');
  });

  it('pickOneNodeForPreemption: PDB violations come before everything else', () => {
    const v = (name: string, priority: number) => pod(name, { priority });
    const best = pickOneNodeForPreemption([
      { name: 'n1', victims: [v('a', 1)], numPDBViolations: 1 },
      { name: 'n2', victims: [v('b', 9), v('c', 9)], numPDBViolations: 0 },
    ]);
    expect(best).toBe('n2');
    expect(pickOneNodeForPreemption([])).toBeUndefined();
  });

  it('stops the dry run once it has enough candidates', () => {
    // minCandidateNodesAbsolute 1, percentage 0: one candidate is enough. Offset 2 starts at n3,
    // which has a victim, so Filter never runs on n1 or n2.
    const nodes = [full('n1', [['a', 1]]), full('n2', [['b', 1]]), full('n3', [['c', 5]])];
    const r = preempt(nodes, bigPreemptor(), { offset: 2, args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1 } });
    expect(r.node).toBe('n3');
    expect(new Set(r.handle.filtered)).toEqual(new Set(['n3']));
  });
});

// ---- eligibility, skipped nodes, messages -----------------------------------------

describe('DefaultPreemption: eligibility and messages', () => {
  it('a pod with preemptionPolicy Never does not preempt, and its nomination stays', () => {
    const n1 = full('n1', [['a', 1]]);
    const r = preempt([n1], pod('preemptor', { priority: 100, cpu: 2000, preemptionPolicy: 'Never' }));
    expect(r.status).toEqual({ code: 'Unschedulable', reasons: ['preemption: not eligible due to preemptionPolicy=Never.'] });
    expect(r.result).toBeUndefined();
  });

  it('waits while victims of its earlier preemption terminate on its nominated node', () => {
    const n1 = nodeInfo('n1', 2000, [pod('dying', { priority: 1, cpu: 2000, terminatingByPreemption: true })]);
    const preemptor = pod('preemptor', { priority: 100, cpu: 2000, nominatedNodeName: 'n1' });
    const r = preempt([n1], preemptor);
    expect(r.status).toEqual({ code: 'Unschedulable', reasons: ['preemption: not eligible due to a terminating pod on the nominated node.'] });
    expect(r.result).toBeUndefined();
    // ... unless Filter now finds the nominated node UnschedulableAndUnresolvable: then it may preempt elsewhere.
    const n2 = full('n2', [['b', 1]]);
    const filtered: NodeToStatus = new Map([
      ['n1', unresolvable("node(s) didn't match Pod's node affinity/selector")],
      ['n2', unschedulable('Insufficient cpu')],
    ]);
    const r2 = preempt([n1, n2], preemptor, { filtered });
    expect(r2.node).toBe('n2');
  });

  it('skips nodes whose Filter status is UnschedulableAndUnresolvable', () => {
    // n1 would be the better choice (victim priority 1 < 5) but Filter said no eviction can help there.
    const nodes = [full('n1', [['a', 1]]), full('n2', [['b', 5]])];
    const filtered: NodeToStatus = new Map([
      ['n1', unresolvable("node(s) didn't match Pod's node affinity/selector")],
      ['n2', unschedulable('Insufficient cpu')],
    ]);
    const r = preempt(nodes, bigPreemptor(), { filtered });
    expect(r.node).toBe('n2');
    expect(r.handle.filtered).not.toContain('n1');
  });

  it('says why no node can help, as a sorted histogram', () => {
    // n1: unresolvable, never tried -> "Preemption is not helpful for scheduling".
    // n2: only a pod of equal priority -> "No preemption victims found for incoming pod".
    // n3: 1000m node, too small even empty -> the Filter's own reason, "Insufficient cpu".
    // n4: absent from the map (e.g. outside PreFilter's node set) -> also "not helpful".
    const nodes = [
      full('n1', [['a', 1]]),
      nodeInfo('n2', 2000, [pod('peer', { priority: 100, cpu: 2000 })]),
      nodeInfo('n3', 1000, [pod('b', { priority: 1, cpu: 1000 })]),
      full('n4', [['c', 1]]),
    ];
    const filtered: NodeToStatus = new Map([
      ['n1', unresolvable('node(s) had untolerated taint {x: y}')],
      ['n2', unschedulable('Insufficient cpu')],
      ['n3', unschedulable('Insufficient cpu')],
    ]);
    const r = preempt(nodes, bigPreemptor(), { filtered });
    expect(r.status).toEqual({
      code: 'Unschedulable',
      reasons: [
        'preemption: 0/4 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
      ],
    });
    expect(r.result).toEqual({ nominatedNodeName: '', victims: [], clearNomination: [] });
  });

  it('when every node is unresolvable, none is tried', () => {
    const nodes = [full('n1', [['a', 1]]), full('n2', [['b', 1]])];
    const filtered: NodeToStatus = new Map(nodes.map((n) => [n.name, unresolvable('x')]));
    const r = preempt(nodes, bigPreemptor(), { filtered });
    expect(r.status.reasons).toEqual(['preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.']);
    expect(r.handle.filtered).toEqual([]);
  });
});

// ---- args --------------------------------------------------------------------------

describe('DefaultPreemption args', () => {
  it('defaults to 10% and 100 nodes', () => {
    expect(defaultPreemptionArgs(undefined)).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(newDefaultPreemption(undefined, fakeHandle([])).name).toBe(DEFAULT_PREEMPTION);
  });

  it('validates as upstream', () => {
    expect(() => defaultPreemptionArgs({ minCandidateNodesPercentage: 101 })).toThrow(
      new PluginArgsError('minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]'),
    );
    expect(() => defaultPreemptionArgs({ minCandidateNodesAbsolute: -1 })).toThrow('minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)');
    expect(() => defaultPreemptionArgs({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 })).toThrow(
      '[minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute, ' +
        'minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage]',
    );
    expect(() => defaultPreemptionArgs({ minCandidateNodesPercentage: 'ten' })).toThrow(PluginArgsError);
  });

  it('candidates: percentage of the nodes, at least the absolute, at most all', () => {
    expect(calculateNumCandidates(50, 10, 100)).toBe(50);
    expect(calculateNumCandidates(1000, 10, 100)).toBe(100);
    expect(calculateNumCandidates(5000, 10, 100)).toBe(500);
    expect(calculateNumCandidates(1999, 10, 100)).toBe(199); // integer division
  });
});
