import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../scenario/gallery/default-scenario';
import { History } from '../../scenario/history';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './cluster-store';
import { ConsoleSession } from './console-session';

/** The default scenario in a store, paused at `at` (3 nodes, Deployment web with 3 replicas, the debug pod on node-3). */
function session(at = 30_000) {
  const store = createClusterStore({ open: () => new History(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS), start: { startAt: at, paused: true } });
  return { store, console: new ConsoleSession(store) };
}
const texts = (c: ConsoleSession, kind?: string) =>
  c
    .getState()
    .scrollback.lines.filter((l) => !kind || l.kind === kind)
    .map((l) => l.text);

describe('the console runs kubectl', () => {
  it('echoes the prompt and prints kubectl stdout; the change is a timeline action of the store, at its instant', () => {
    const { store, console: c } = session();
    c.run('scale deployment web --replicas=5');
    expect(texts(c)).toEqual(['$ kubectl scale deployment web --replicas=5', 'deployment.apps/web scaled']);
    // On the history branch (what a rewind replays and a share link carries), not only on the live cluster.
    expect(store.history!.actions).toEqual([{ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 5, at: 30_000 }]);
    expect(store.getState().timeline).toHaveLength(1);
    expect(store.getState().actions[0]).toMatchObject({ source: 'user', at: 30_000, outcomes: [{ ok: true, message: 'deployment.apps/web scaled' }] });
  });

  it("errors are kubectl's, on stderr, marked as errors; a notice on stderr of a command that worked is not", () => {
    const { console: c } = session();
    c.run('get pdos');
    expect(texts(c, 'error')).toEqual(['error: the server doesn\'t have a resource type "pdos"']);
    c.run('get jobs');
    expect(texts(c, 'notice')).toEqual(['No resources found in default namespace.']);
  });

  it('drain node-1 --ignore-daemonsets: refused for the bare debug pod, in upstream words, node left cordoned', () => {
    const { store, console: c } = session();
    // The default scenario's scheduler puts the debug pod on node-1.
    c.run('drain node-1 --ignore-daemonsets');
    expect(texts(c, 'stdout')).toEqual(['node/node-1 cordoned']);
    expect(texts(c, 'error')).toEqual([
      'error: unable to drain node "node-1" due to error: cannot delete Pods that declare no controller (use --force to override): default/debug, continuing command...',
      'There are pending nodes to be drained:',
      ' node-1',
      'cannot delete Pods that declare no controller (use --force to override): default/debug',
    ]);
    expect(store.history!.actions.map((a) => a.action)).toEqual(['cordon']);
  });

  it('a line that starts with kubectl runs the same, echoed with one "kubectl"', () => {
    const { console: c } = session();
    c.run('kubectl get nodes --no-headers');
    expect(texts(c)[0]).toBe('$ kubectl get nodes --no-headers');
    expect(texts(c, 'stdout')).toHaveLength(3);
  });

  it('clear empties the scrollback; the history keeps the lines, Up and Down walk it', () => {
    const { console: c } = session();
    c.run('get nodes');
    c.run('version');
    c.run('clear');
    expect(texts(c)).toEqual([]);
    expect(c.previous('get p')).toBe('clear');
    expect(c.previous('')).toBe('version');
    expect(c.next('')).toBe('clear');
    expect(c.next('')).toBe('get p');
  });

  it('Tab completes from the cluster: one candidate with a space, several listed', () => {
    const { console: c } = session();
    expect(c.complete('cordon node-', 12)).toEqual({ line: 'cordon node-', cursor: 12, candidates: ['node-1', 'node-2', 'node-3'] });
    expect(c.complete('get depl', 8)).toEqual({ line: 'get deployments ', cursor: 16, candidates: [] });
  });
});

describe('commands that keep running', () => {
  it('get pods -w prints a row per change as the simulation moves, until Ctrl+C', () => {
    const { store, console: c } = session();
    c.run('get pods -w');
    expect(c.getState().running).toBe('get pods -w');
    const header = texts(c).length;
    // A scale from elsewhere (a menu, the editor): the watch sees its pods come.
    store.getState().act({ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 4 });
    for (let i = 0; i < 20; i++) store.getState().step();
    const rows = texts(c).slice(header);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.startsWith('web-'))).toBe(true);
    c.interrupt();
    expect(c.getState().running).toBeNull();
    expect(texts(c, 'note').at(-1)).toBe('^C');
    const after = texts(c).length;
    for (let i = 0; i < 20; i++) store.getState().step();
    expect(texts(c)).toHaveLength(after);
  });

  it('rollout status follows the Deployment to the end and gives the prompt back', () => {
    const { store, console: c } = session(5_000);
    c.run('scale deployment web --replicas=5');
    c.run('rollout status deployment/web');
    expect(c.getState().running).toBe('rollout status deployment/web');
    store.getState().seek(40_000);
    expect(texts(c, 'stdout').at(-1)).toBe('deployment "web" successfully rolled out');
    expect(c.getState().running).toBeNull();
  });

  it('a rewind stops the command: the cluster it followed is gone', () => {
    const { store, console: c } = session();
    c.run('get nodes -w');
    store.getState().seek(10_000);
    expect(c.getState().running).toBeNull();
    expect(texts(c, 'note').at(-1)).toBe('The cluster it watched was replaced (a rewind, or another scenario): the command stopped.');
  });

  it('Ctrl+C with nothing running abandons the line, as a shell shows it', () => {
    const { console: c } = session();
    c.interrupt('get po');
    expect(texts(c)).toEqual(['$ kubectl get po^C']);
  });
});

describe('apply -f -', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello', namespace: 'default' }, spec: { containers: [{ name: 'hello', image: 'nginx:1.27' }] } };

  it("opens the YAML editor empty, and prints what the editor's Apply did", () => {
    const { store, console: c } = session();
    c.run('apply -f -');
    expect(store.getState().editor).toEqual({ text: '' });
    expect(c.getState().awaitingEditor).toBe(true);
    // What the editor's Apply records (EditorPanel): one apply action through the store.
    store.getState().act({ action: 'apply', manifests: [pod] });
    expect(texts(c, 'stdout').at(-1)).toBe('pod/hello created');
    store.getState().closeEditor();
    expect(c.getState().awaitingEditor).toBe(false);
  });

  it('says so when the editor closes without applying', () => {
    const { store, console: c } = session();
    c.run('apply -f -');
    store.getState().closeEditor();
    expect(texts(c, 'note').at(-1)).toBe('The editor was closed: nothing was applied.');
  });

  it("a refused object gets kubectl's error", () => {
    const { store, console: c } = session();
    c.run('apply -f -');
    store.getState().act({ action: 'apply', manifests: [{ ...pod, metadata: { name: 'debug', namespace: 'default' }, spec: { containers: [{ name: 'x', image: 'busybox' }] } }] });
    // The debug pod exists: apply updates it, and a Pod's containers cannot change.
    // Several causes: kubectl lists them one per line under the head.
    const lines = texts(c, 'error');
    expect(lines[0]).toBe('The Pod "debug" is invalid: ');
    expect(lines.some((l) => l.startsWith('* spec: Forbidden: pod updates may not change fields other than'))).toBe(true);
  });
});
