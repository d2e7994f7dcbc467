import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenario/gallery';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { encodeShareFragment } from '../../scenario/share-codec';
import type { Session } from '../../scenario/session';
import { UI_CLUSTER_OPTIONS } from '../store/cluster-store';
import type { AutosaveRead } from './autosave';
import { planBoot, readLaunchLink, type BootInput } from './boot';
import { sessionFingerprint } from './fingerprint';

const nodeFailure = findScenario('node-failure').entry.yaml;

/** The default scenario with node-2 cordoned at 12 s: work the user did. */
const work: Session = { scenario: DEFAULT_SCENARIO_YAML, actions: [{ at: 12_000, action: 'cordon', node: 'node-2' }], at: 20_000 };
const autosaved = (s: Session, saved: string | null = null): AutosaveRead => ({ ok: true, data: { ...s, saved } });
/** A link to node-failure with node-3 cordoned at 5 s, looked at 15 s in. */
const shared: Session = { scenario: nodeFailure, actions: [{ at: 5_000, action: 'cordon', node: 'node-3' }], at: 15_000 };
const shareHash = `#${encodeShareFragment(shared)}`;

function boot(over: Partial<BootInput>) {
  const plan = planBoot({ search: '', hash: '', reload: false, autosave: null, options: UI_CLUSTER_OPTIONS, ...over });
  const history = plan.open();
  return { plan, history };
}

describe('readLaunchLink', () => {
  it('a share fragment first, then a gallery name (fragment or query), then ?t=', () => {
    expect(readLaunchLink('?scenario=crash-loop', '#s=abc')).toEqual({ kind: 'share', data: 'abc' });
    expect(readLaunchLink('?scenario=crash-loop&t=30s', '')).toEqual({ kind: 'gallery', name: 'crash-loop' });
    expect(readLaunchLink('', '#scenario=zone-outage')).toEqual({ kind: 'gallery', name: 'zone-outage' });
    expect(readLaunchLink('?t=30s', '')).toEqual({ kind: 'instant' });
    expect(readLaunchLink('?paused&speed=10', '')).toEqual({ kind: 'none' });
  });
});

describe('planBoot', () => {
  it('nothing in the URL and nothing saved: the default scenario, playing', () => {
    const { plan, history } = boot({});
    expect(history.scenario).toBe(DEFAULT_SCENARIO_YAML);
    expect(plan.start.paused).toBe(false);
    expect(plan.pending).toBeNull();
  });

  it('a reload restores the autosave at its instant, paused, whatever the URL says', () => {
    const { plan, history } = boot({ reload: true, search: '?t=30s', hash: shareHash, autosave: autosaved(work) });
    expect(history.scenario).toBe(DEFAULT_SCENARIO_YAML);
    expect(history.now).toBe(20_000);
    expect(history.actions).toEqual(work.actions);
    expect(plan.start).toMatchObject({ startAt: 0, paused: true });
    expect(plan.pending).toBeNull();
  });

  it('a share link opens its session at its instant, paused, as saved work', () => {
    const { plan, history } = boot({ hash: shareHash });
    expect(history.scenario).toBe(nodeFailure);
    expect(history.now).toBe(15_000);
    expect(history.cluster.userActions).toEqual(shared.actions);
    expect(plan.start.paused).toBe(true);
    expect(plan.saved).toBe(sessionFingerprint(shared.scenario, shared.actions));
  });

  it('a share link over unsaved work opens the work and asks about the link', () => {
    const { plan, history } = boot({ hash: shareHash, autosave: autosaved(work) });
    expect(history.actions).toEqual(work.actions);
    expect(history.now).toBe(20_000);
    expect(plan.pending).toMatchObject({ what: 'the shared scenario', session: shared, url: { kind: 'keep' } });
  });

  it('does not ask when the autosave is saved elsewhere, or is the linked session itself', () => {
    const savedWork = autosaved(work, sessionFingerprint(work.scenario, work.actions));
    expect(boot({ hash: shareHash, autosave: savedWork }).plan.pending).toBeNull();
    expect(boot({ hash: shareHash, autosave: autosaved({ ...shared, at: 60_000 }) }).plan.pending).toBeNull();
    // A gallery scenario with no actions is no work to lose.
    expect(boot({ hash: shareHash, autosave: autosaved({ scenario: nodeFailure, actions: [], at: 90_000 }) }).plan.pending).toBeNull();
  });

  it('a damaged link says why and opens the default scenario (or the autosave when there is one)', () => {
    const damaged = shareHash.slice(0, -12);
    const fresh = boot({ hash: damaged });
    expect(fresh.history.scenario).toBe(DEFAULT_SCENARIO_YAML);
    expect(fresh.plan.start.notices).toEqual([expect.stringMatching(/^This link is damaged or cut short: .* The default scenario is open instead\.$/)]);
    const withWork = boot({ hash: damaged, autosave: autosaved(work) });
    expect(withWork.history.actions).toEqual(work.actions);
    expect(withWork.plan.start.notices[0]).toMatch(/Your last session is open instead\.$/);
  });

  it('#scenario=NAME and ?scenario=NAME open that gallery scenario; ?t= still runs to the instant', () => {
    expect(boot({ hash: '#scenario=node-failure' }).history.scenario).toBe(nodeFailure);
    const { plan, history } = boot({ search: '?scenario=node-failure&t=30s' });
    expect(history.scenario).toBe(nodeFailure);
    // The store runs to startAt; the plan leaves it there.
    expect(plan.start).toMatchObject({ startAt: 30_000, paused: true });
    expect(plan.saved).toBe(sessionFingerprint(nodeFailure, []));
  });

  it('a gallery link or ?t= over unsaved work asks first', () => {
    const gallery = boot({ hash: '#scenario=node-failure', autosave: autosaved(work) });
    expect(gallery.history.actions).toEqual(work.actions);
    expect(gallery.plan.pending).toMatchObject({ what: '“node-failure”', session: { scenario: nodeFailure, actions: [], at: 0 }, url: { kind: 'gallery', name: 'node-failure' } });
    const instant = boot({ search: '?t=30s', autosave: autosaved(work) });
    expect(instant.plan.pending).toMatchObject({ session: { scenario: DEFAULT_SCENARIO_YAML, at: 30_000 } });
  });

  it('an unknown gallery name is a notice, not a lost session', () => {
    const { plan, history } = boot({ hash: '#scenario=<script>alert(1)</script>', autosave: autosaved(work) });
    expect(history.actions).toEqual(work.actions);
    expect(plan.start.notices[0]).toContain('there is no built-in scenario of that name');
  });

  it('a plain visit restores the autosave; a damaged one is a notice and the default opens', () => {
    expect(boot({ autosave: autosaved(work) }).history.now).toBe(20_000);
    const { plan, history } = boot({ autosave: { ok: false, error: 'The session saved in this browser could not be restored: its data is damaged.' } });
    expect(history.scenario).toBe(DEFAULT_SCENARIO_YAML);
    expect(plan.start.notices).toEqual(['The session saved in this browser could not be restored: its data is damaged.']);
  });

  it('an autosave whose cluster does not build falls back to the default scenario with the reason', () => {
    // Parses, but the cluster refuses it when built: a Pod in a namespace that does not exist.
    const broken = `${DEFAULT_SCENARIO_YAML}---\napiVersion: v1\nkind: Pod\nmetadata: {name: lost, namespace: nowhere}\nspec: {containers: [{name: c, image: nginx}]}\n`;
    const { plan, history } = boot({ autosave: autosaved({ scenario: broken, actions: [], at: 1_000 }) });
    expect(history.scenario).toBe(DEFAULT_SCENARIO_YAML);
    expect(plan.laterNotices).toEqual([expect.stringMatching(/^The session saved in this browser could not be opened, so the default scenario is open instead\. .*nowhere/)]);
    expect(plan.saved).toBeNull();
  });
});
