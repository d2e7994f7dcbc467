import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from './gallery/default-scenario';
import { History } from './history';
import { loadScenario } from './load';
import { ScenarioError } from './problems';
import { openSession, type Session } from './session';
import { looksLikeSessionFile, readSessionFile, writeSessionFile } from './session-file';

/** The default scenario, scaled to 6 at 31.2 s and node-2 powered off at 40 s, looked at 95 s in. */
function workedSession(): { history: History; session: Session } {
  const history = new History(DEFAULT_SCENARIO_YAML);
  history.runUntil(31_200);
  history.act({ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 6 });
  history.runUntil(40_000);
  history.act({ action: 'powerOff', node: 'node-2' });
  history.runUntil(95_000);
  return { history, session: history.session() };
}

function problemsOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('session files', () => {
  it('keep the scenario byte for byte and the actions with their instants', () => {
    const { session } = workedSession();
    const text = writeSessionFile(session, 'default');
    expect(text.startsWith(DEFAULT_SCENARIO_YAML)).toBe(true);
    expect(looksLikeSessionFile(text)).toBe(true);
    const back = readSessionFile(text);
    expect(back.scenario).toBe(DEFAULT_SCENARIO_YAML);
    expect(back.at).toBe(95_000);
    expect(back.actions).toEqual([
      { at: 31_200, action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 6 },
      { at: 40_000, action: 'powerOff', node: 'node-2' },
    ]);
  });

  it('replay to the same cluster as the one that was saved', () => {
    const { history, session } = workedSession();
    const reopened = openSession(readSessionFile(writeSessionFile(session)));
    expect(reopened.now).toBe(95_000);
    expect(reopened.stateHash()).toBe(history.cluster.stateHash());
    // Six web pods were asked for; node-2 has been off for 55 s (past the 40 s grace period): Unknown.
    const node2 = reopened.objects().find((o) => o.kind === 'Node' && o.metadata.name === 'node-2') as { status?: { conditions?: Array<{ type: string; status: string }> } };
    expect(node2.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
  });

  it('saved again, give the same file (the Session document is not kept in the scenario)', () => {
    const { session } = workedSession();
    const once = writeSessionFile(session);
    expect(writeSessionFile(readSessionFile(once))).toBe(once);
  });

  it('a scenario file without a Session document opens at 0 with no actions', () => {
    expect(looksLikeSessionFile(DEFAULT_SCENARIO_YAML)).toBe(false);
    expect(readSessionFile(DEFAULT_SCENARIO_YAML)).toEqual({ scenario: DEFAULT_SCENARIO_YAML, actions: [], at: 0 });
  });

  it('an action entered as a timeline entry would run before the events of its instant; the Session document keeps it after them', () => {
    // At 10 s the kubelets renew their Leases and report status. A user's powerOff at 10 s meets the cluster after that;
    // the same powerOff as spec.timeline entry runs first, so node-1's 10 s heartbeat never goes out.
    const asAction = openSession({ scenario: DEFAULT_SCENARIO_YAML, actions: [{ at: 10_000, action: 'powerOff', node: 'node-1' }], at: 20_000 });
    const asTimeline = loadScenario(DEFAULT_SCENARIO_YAML.replace('  seed: 42\n', '  seed: 42\n  timeline:\n  - {at: 10s, action: powerOff, node: node-1}\n')).cluster;
    asTimeline.runUntil(20_000);
    expect(asTimeline.stateHash()).not.toBe(asAction.stateHash());
  });

  it('name a bad action by document, line and field', () => {
    const text = writeSessionFile({ scenario: DEFAULT_SCENARIO_YAML, actions: [{ at: 1000, action: 'stopComponent', component: 'etcd-2' }], at: 2000 }).replace('etcd-2', 'etcd-5');
    const docs = DEFAULT_SCENARIO_YAML.split(/^---$/m).length; // the Session document comes after the scenario's documents
    const message = problemsOf(() => readSessionFile(text));
    expect(message).toContain(`document ${docs + 1} (Session)`);
    expect(message).toMatch(/line \d+: spec\.actions\[0\]\.component: Unsupported value: "etcd-5"/);
  });

  it('reject actions out of order, an instant before the last action, unknown fields and a lone Session document', () => {
    const base = (spec: string) => `${DEFAULT_SCENARIO_YAML}---\napiVersion: kubeviz.dev/v1alpha1\nkind: Session\nspec:\n${spec}`;
    expect(problemsOf(() => readSessionFile(base('  at: 5s\n  actions:\n  - {at: 3s, action: cordon, node: node-1}\n  - {at: 2s, action: uncordon, node: node-1}\n')))).toContain(
      'spec.actions[1].at: must not be before the action above it (3000 ms)',
    );
    expect(problemsOf(() => readSessionFile(base('  at: 1s\n  actions:\n  - {at: 3s, action: cordon, node: node-1}\n')))).toContain('spec.at: must not be before the last action (3000 ms)');
    expect(problemsOf(() => readSessionFile(base('  at: 1s\n  speed: 100\n')))).toContain('spec.speed: unknown field (known: at, actions)');
    expect(problemsOf(() => readSessionFile(base('  at: 48h\n')))).toContain('spec.at: Invalid value: "48h": must be from 0 to 24h');
    expect(problemsOf(() => readSessionFile('apiVersion: kubeviz.dev/v1alpha1\nkind: Session\nspec: {at: 1s}\n'))).toContain('needs the scenario before it');
  });

  it('a __proto__ key is an unknown field, and nothing reaches a prototype', () => {
    const text = `${DEFAULT_SCENARIO_YAML}---\napiVersion: kubeviz.dev/v1alpha1\nkind: Session\nspec:\n  __proto__: {polluted: true}\n  at: 1s\n`;
    expect(problemsOf(() => readSessionFile(text))).toContain('spec.__proto__: unknown field');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('problems in the scenario above keep their document numbers', () => {
    const text = writeSessionFile({ scenario: DEFAULT_SCENARIO_YAML.replace('replicas: 3', 'replicas: -1'), actions: [], at: 0 });
    expect(problemsOf(() => readSessionFile(text))).toMatch(/Deployment "web"\), line \d+: spec\.replicas: Invalid value: -1/);
  });
});
