// The worker builds the first session ahead (the page's entry sends
// 'prepare' before the app's bundle loads); the page's 'boot' then uses that
// build when it names the same session, and builds its own when it does not.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import * as boot from '../session/boot';
import { AUTOSAVE_KEY, AUTOSAVE_SCENARIO_KEY } from '../session/autosave-keys';
import type { LaunchInputs } from '../session/launch-inputs';
import { sessionFingerprint } from '../session/fingerprint';
import { UI_CLUSTER_OPTIONS } from '../store/cluster-store';
import type { FromWorker } from './protocol';
import { SimServer } from './sim-server';

vi.mock('../session/boot', async (original) => {
  const real = await original<typeof import('../session/boot')>();
  return { ...real, openBootSource: vi.fn(real.openBootSource) };
});

const SCHEDULING = readFileSync(new URL('../../scenario/examples/scheduling.yaml', import.meta.url), 'utf8');

function server(): { sim: SimServer; sent: FromWorker[] } {
  const sent: FromWorker[] = [];
  return { sim: new SimServer((m) => sent.push(structuredClone(m)), { now: () => 0, later: () => undefined }), sent };
}

/** The boot the page would send for these inputs (start-app.tsx plans it the same way). */
function pagePlan(launch: LaunchInputs) {
  return boot.planLaunch(launch, UI_CLUSTER_OPTIONS);
}

const builds = () => vi.mocked(boot.openBootSource).mock.calls.length;
const scenarioName = (sent: FromWorker[]) => {
  for (const m of sent) if (m.type === 'state' && m.data.load) return (m.data.load as { scenarioName?: string }).scenarioName;
  return undefined;
};

describe("the worker's prepared boot", () => {
  const gallery: LaunchInputs = { search: '?scenario=scheduling', hash: '', reload: false, saved: null };

  it('answers prepare at once, and builds the session only once when boot names the same one', () => {
    const { sim, sent } = server();
    const before = builds();
    sim.handle({ type: 'prepare', launch: gallery });
    expect(sent.map((m) => m.type)).toEqual(['preparing']);
    expect(builds() - before).toBe(1);
    const plan = pagePlan(gallery);
    expect(plan.source).toMatchObject({ kind: 'scenario', yaml: SCHEDULING });
    sim.handle({ type: 'boot', source: plan.source, start: plan.start });
    expect(builds() - before).toBe(1);
    expect(sent[1]).toMatchObject({ type: 'booted', saved: plan.source.saved });
    expect(scenarioName(sent)).toBe('scheduling');
  });

  it('builds what boot asks when the prepared session is another one', () => {
    const { sim, sent } = server();
    const before = builds();
    sim.handle({ type: 'prepare', launch: gallery });
    const other = pagePlan({ search: '', hash: '', reload: false, saved: null });
    sim.handle({ type: 'boot', source: other.source, start: other.start });
    expect(builds() - before).toBe(2);
    expect(scenarioName(sent)).not.toBe('scheduling');
  });

  it('plans from the autosave the page read, as the page does (a reload restores it)', () => {
    const id = sessionFingerprint(SCHEDULING, []);
    const record = { v: 1, scenario: id, actions: [], at: 12_000, saved: null };
    const saved = { [AUTOSAVE_KEY]: JSON.stringify(record), [AUTOSAVE_SCENARIO_KEY]: JSON.stringify({ id, text: SCHEDULING }) };
    const launch: LaunchInputs = { search: '', hash: '', reload: true, saved };
    const plan = pagePlan(launch);
    expect(plan.source).toMatchObject({ kind: 'session', session: { scenario: SCHEDULING, at: 12_000 } });
    const { sim } = server();
    const before = builds();
    sim.handle({ type: 'prepare', launch });
    sim.handle({ type: 'boot', source: plan.source, start: plan.start });
    expect(builds() - before).toBe(1);
  });

  it('is a plain boot without a prepare', () => {
    const { sim, sent } = server();
    const before = builds();
    const plan = pagePlan(gallery);
    sim.handle({ type: 'boot', source: plan.source, start: plan.start });
    expect(builds() - before).toBe(1);
    expect(sent[0]).toMatchObject({ type: 'booted' });
  });
});
