// The actor option: a console in the UI runs kubectl against the live
// cluster but performs its changes through the session's History, so they
// join the history branch and survive a rewind (a change made on the live
// cluster directly would be lost by the first replay).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/gallery/default-scenario';
import { History } from '../scenario/history';
import type { Action } from '../sim/model';
import { runKubectl } from './run';
import { watchKubectl } from './watch';

const historyActor = (h: History) => ({ act: (a: Action) => h.act(a).outcomes });

describe('kubectl with an actor', () => {
  it('records every action of a command through the actor, in order (drain: cordon, then drain)', () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    h.runUntil(30_000);
    const seen: Action[] = [];
    const actor = { act: (a: Action) => (seen.push(a), h.act(a).outcomes) };
    // At 30 s node-2 runs one web replica and nothing else (the bare debug pod is on node-1), so drain has nothing to refuse.
    const r = runKubectl(h.cluster, 'drain node-2 --ignore-daemonsets', { actor });
    expect(r.exitCode).toBe(0);
    expect(seen.map((a) => a.action)).toEqual(['cordon', 'drain']);
    expect(h.actions.map((a) => `${a.action}@${a.at}`)).toEqual(['cordon@30000', 'drain@30000']);
  });

  it('puts the change on the history branch: a rewind and a replay keep it', () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    h.runUntil(20_000);
    expect(runKubectl(h.cluster, 'scale deployment web --replicas=5', { actor: historyActor(h) }).output).toBe('deployment.apps/web scaled\n');
    h.runUntil(60_000);
    const replicas = () => runKubectl(h.cluster, 'get deployment web --no-headers').output.split(/\s+/)[1];
    expect(replicas()).toBe('5/5');
    // Back before the scale (the live cluster is rebuilt from the scenario), then forward again.
    h.seek(10_000);
    expect(replicas()).toBe('3/3');
    h.seek(60_000);
    expect(replicas()).toBe('5/5');
  });

  it('without an actor, acts on the cluster itself, which History does not know about', () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    h.runUntil(20_000);
    runKubectl(h.cluster, 'scale deployment web --replicas=5');
    expect(h.actions).toHaveLength(0);
    expect(h.cluster.userActions).toHaveLength(1);
  });

  it('watchKubectl runs a one-shot command through the actor as well', () => {
    const h = new History(DEFAULT_SCENARIO_YAML);
    h.runUntil(20_000);
    const w = watchKubectl(h.cluster, 'cordon node-2', { actor: historyActor(h) });
    expect(w.done).toBe(true);
    expect(w.initial.output).toBe('node/node-2 cordoned\n');
    expect(h.actions.map((a) => a.action)).toEqual(['cordon']);
  });
});
