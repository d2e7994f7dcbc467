import { describe, expect, it } from 'vitest';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { createCluster, type Cluster } from '../sim/cluster';
import { emptyScenario } from '../sim/model';
import { clusterOf, deployment, kubectl, node, pod, service } from './test-cluster';
import { watchKubectl } from './watch';

const SEED = 11;
const objects = () => [node('node-1'), node('node-2'), node('node-3'), deployment('web', 3, 'nginx:1.27', { requests: { cpu: '250m', memory: '128Mi' } }), service('web', { app: 'web' })];

function started(): Cluster {
  const c = clusterOf(objects(), SEED);
  c.runUntil(30_000);
  return c;
}

const pods = (c: Cluster, prefix = 'web-') => c.objects().filter((o) => o.kind === 'Pod' && o.metadata.name!.startsWith(prefix)) as unknown as Pod[];
const running = (c: Cluster) => pods(c).filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
const get = <T>(c: Cluster, kind: string, name: string) => c.objects().find((o) => o.kind === kind && o.metadata.name === name) as unknown as T;
const lastVerbs = (c: Cluster, n: number) => c.actions.slice(-n).map((a) => `${a.source}:${a.action.action}`);

describe('kubectl changes go through the timeline verbs', () => {
  it('scale 3 -> 6: "deployment.apps/web scaled", the scale verb, six pods Running later', () => {
    const c = started();
    const r = kubectl(c, 'scale --replicas=6 deployment/web');
    expect(r).toMatchObject({ output: 'deployment.apps/web scaled\n', exitCode: 0 });
    expect(r.actions).toEqual([{ action: 'scale', kind: 'Deployment', name: 'web', namespace: 'default', replicas: 6 }]);
    expect(c.actions.at(-1)).toMatchObject({ source: 'user', at: 30_000, action: { action: 'scale', replicas: 6 } });
    c.runUntil(60_000);
    expect(running(c)).toHaveLength(6);
    expect(kubectl(c, 'get deploy web --no-headers').output).toBe('web   6/6   6     6     60s\n');
  });

  it('cordon: get nodes says Ready,SchedulingDisabled; cordon again says already; uncordon', () => {
    const c = started();
    expect(kubectl(c, 'cordon node-2')).toMatchObject({ output: 'node/node-2 cordoned\n', actions: [{ action: 'cordon', node: 'node-2' }] });
    expect(kubectl(c, 'get nodes').output).toContain('node-2   Ready,SchedulingDisabled   <none>   30s   v1.34.0\n');
    expect(kubectl(c, 'cordon node-2')).toMatchObject({ output: 'node/node-2 already cordoned\n', actions: [] });
    expect(kubectl(c, 'uncordon node-2').output).toBe('node/node-2 uncordoned\n');
    expect(kubectl(c, 'cordon nope')).toMatchObject({ error: 'Error from server (NotFound): nodes "nope" not found\n', exitCode: 1, actions: [] });
  });

  it('drain: cordoned, pods evicted in kubectl words, replacements Running on the other nodes', () => {
    const c = started();
    const victims = pods(c).filter((p) => p.spec?.nodeName === 'node-1');
    expect(victims.length).toBeGreaterThan(0);
    const r = kubectl(c, 'drain node-1 --ignore-daemonsets');
    const names = victims.map((p) => p.metadata!.name!);
    expect(r.output).toBe(
      ['node/node-1 cordoned', ...names.map((n) => `evicting pod default/${n}`), ...names.map((n) => `pod/${n} evicted`), 'node/node-1 drained', ''].join('\n'),
    );
    expect(r.actions.map((a) => a.action)).toEqual(['cordon', 'drain']);
    c.runUntil(90_000);
    expect(running(c)).toHaveLength(3);
    expect(running(c).every((p) => p.spec?.nodeName !== 'node-1')).toBe(true);
  });

  it('drain refuses a pod no controller owns without --force, and leaves the node cordoned', () => {
    const c = clusterOf([node('n1'), node('n2'), pod('bare', { nodeName: 'n1' })], SEED);
    c.runUntil(5_000);
    const r = kubectl(c, 'drain n1');
    expect(r.output).toBe('node/n1 cordoned\n');
    expect(r.error).toBe(
      [
        'error: unable to drain node "n1" due to error: cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...',
        'There are pending nodes to be drained:',
        ' n1',
        'cannot delete Pods that declare no controller (use --force to override): default/bare',
        '',
      ].join('\n'),
    );
    expect(r.exitCode).toBe(1);
    expect(r.actions).toEqual([{ action: 'cordon', node: 'n1' }]);
    const forced = kubectl(c, 'drain n1 --force');
    expect(forced.error).toBe('Warning: deleting Pods that declare no controller: default/bare\n');
    expect(forced.output).toBe('node/n1 already cordoned\nevicting pod default/bare\npod/bare evicted\nnode/n1 drained\n');
  });

  it('taint add and remove rewrite the Node with the apply verb', () => {
    const c = started();
    expect(kubectl(c, 'taint nodes node-3 dedicated=gpu:NoSchedule').output).toBe('node/node-3 tainted\n');
    expect(get<Node>(c, 'Node', 'node-3').spec?.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(c.actions.at(-1)?.action.action).toBe('apply');
    expect(kubectl(c, 'taint nodes node-3 dedicated=gpu:NoSchedule').error).toBe(
      'error: node node-3 already has dedicated taint(s) with same effect(s) and --overwrite is false\n',
    );
    expect(kubectl(c, 'taint nodes node-3 dedicated:NoSchedule-').output).toBe('node/node-3 untainted\n');
    expect(get<Node>(c, 'Node', 'node-3').spec?.taints).toBeUndefined();
    expect(kubectl(c, 'taint nodes node-3 dedicated-').error).toBe('error: taint "dedicated" not found\n');
    expect(kubectl(c, 'taint nodes node-3 x=y:Sometimes').error).toBe("error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n");
  });

  it('set image, then rollout status until "successfully rolled out"; the new pods run the new image', () => {
    const c = started();
    expect(kubectl(c, 'set image deployment/web nginx=nginx:1.28').output).toBe('deployment.apps/web image updated\n');
    expect(kubectl(c, 'set image deployment/web nginx=nginx:1.28')).toMatchObject({ output: '', actions: [] });
    const watch = watchKubectl(c, 'rollout status deployment/web');
    expect(watch.initial.output).toBe('Waiting for deployment spec update to be observed...\n');
    let printed = '';
    for (let t = 31_000; t <= 120_000 && !watch.done; t += 1_000) {
      c.runUntil(t);
      printed += watch.next();
    }
    expect(watch.done).toBe(true);
    const said = printed.trim().split('\n');
    expect(said).toContain('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(said).toContain('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(said.at(-1)).toBe('deployment "web" successfully rolled out');
    expect(kubectl(c, 'rollout status deploy/web').output).toBe('deployment "web" successfully rolled out\n');
    expect(running(c).map((p) => p.spec?.containers[0].image)).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    expect(kubectl(c, 'set image deploy/web nope=x:1')).toMatchObject({ error: 'error: unable to find container named "nope"\n', exitCode: 1 });
  });

  it('rollout undo goes back to the previous ReplicaSet template; history lists both revisions', () => {
    const c = started();
    kubectl(c, 'set image deploy/web nginx=nginx:1.28');
    c.runUntil(90_000);
    expect(kubectl(c, 'rollout history deploy/web').output).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect(kubectl(c, 'rollout undo deploy/web').output).toBe('deployment.apps/web rolled back\n');
    expect(get<Deployment>(c, 'Deployment', 'web').spec?.template?.spec?.containers[0].image).toBe('nginx:1.27');
    c.runUntil(150_000);
    expect(running(c).map((p) => p.spec?.containers[0].image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    // Revision 1's ReplicaSet became revision 3.
    expect(kubectl(c, 'rollout history deploy/web').output).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    expect(kubectl(c, 'rollout undo deploy/web --to-revision=9').error).toBe('error: unable to find specified revision 9 in history\n');
  });

  it('rollout restart stamps restartedAt with the simulated clock; pause and resume', () => {
    const c = started();
    c.runUntil(42_500);
    expect(kubectl(c, 'rollout restart deploy/web').output).toBe('deployment.apps/web restarted\n');
    expect(get<Deployment>(c, 'Deployment', 'web').spec?.template?.metadata?.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:42Z' });
    expect(kubectl(c, 'rollout pause deploy/web').output).toBe('deployment.apps/web paused\n');
    expect(kubectl(c, 'rollout restart deploy/web').error).toBe('error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
    expect(kubectl(c, 'rollout pause deploy/web').error).toBe('error: deployments.apps "web" is already paused\n');
    expect(kubectl(c, 'rollout resume deploy/web').output).toBe('deployment.apps/web resumed\n');
    expect(get<Deployment>(c, 'Deployment', 'web').spec?.paused).toBeUndefined();
  });

  it('create, run, expose, label, annotate and delete: kubectl output, apply and delete verbs', () => {
    const c = started();
    expect(kubectl(c, 'create deployment api --image=ghcr.io/acme/api-server:2.1 --replicas=2 --port=8080').output).toBe('deployment.apps/api created\n');
    const api = get<Deployment>(c, 'Deployment', 'api');
    expect(api.metadata?.labels).toEqual({ app: 'api' });
    expect(api.spec?.template?.spec?.containers.map((x) => [x.name, x.image, x.ports?.[0].containerPort])).toEqual([['api-server', 'ghcr.io/acme/api-server:2.1', 8080]]);
    expect(kubectl(c, 'create deployment api --image=nginx').error).toBe('error: failed to create deployment: deployments.apps "api" already exists\n');
    expect(kubectl(c, 'run shell --image=busybox:1.36 -- sleep 3600').output).toBe('pod/shell created\n');
    expect(get<Pod>(c, 'Pod', 'shell').metadata?.labels).toEqual({ run: 'shell' });
    expect(get<Pod>(c, 'Pod', 'shell').spec?.containers[0]).toMatchObject({ name: 'shell', image: 'busybox:1.36', args: ['sleep', '3600'] });
    expect(kubectl(c, 'expose deployment api --port=80 --target-port=8080').output).toBe('service/api exposed\n');
    expect(kubectl(c, 'get svc api -o json').output).toContain('"selector": {\n            "app": "api"\n        }');
    expect(kubectl(c, 'label pod shell tier=debug').output).toBe('pod/shell labeled\n');
    expect(kubectl(c, 'label pod shell tier=x').error).toBe("error: 'tier' already has a value (debug), and --overwrite is false\n");
    expect(kubectl(c, 'label pod shell tier-').output).toBe('pod/shell unlabeled\n');
    expect(kubectl(c, 'annotate deploy web owner=team-a').output).toBe('deployment.apps/web annotated\n');
    expect(kubectl(c, 'delete pod shell').output).toBe('pod "shell" deleted from default namespace\n');
    expect(kubectl(c, 'delete svc api deploy/api').error).toBe(
      "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n",
    );
    expect(kubectl(c, 'delete svc/api deploy/api').output).toBe('service "api" deleted from default namespace\ndeployment.apps "api" deleted from default namespace\n');
    expect(lastVerbs(c, 9)).toEqual(['user:apply', 'user:apply', 'user:apply', 'user:apply', 'user:apply', 'user:apply', 'user:delete', 'user:delete', 'user:delete']);
  });

  it('apply -f - opens the editor, applies its text, and -f FILE says there are no files here', () => {
    const c = started();
    expect(kubectl(c, 'apply -f -')).toMatchObject({ output: '', editor: { text: '' }, exitCode: 0, actions: [] });
    expect(kubectl(c, 'apply -f web.yaml').error).toBe(
      'error: the path "web.yaml" cannot be read: this kubectl runs inside the simulation, which has no files; use "kubectl apply -f -" to open the YAML editor\n',
    );
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: late\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';
    expect(kubectl(c, 'apply -f -', { stdin: yaml }).output).toBe('pod/late created\n');
    // Applying the same text again keeps the defaults the apiserver added.
    expect(kubectl(c, 'apply -f -', { stdin: yaml }).output).toBe('pod/late unchanged\n');
    expect(kubectl(c, 'apply -f -', { stdin: yaml.replace('nginx:1.27', 'nginx:1.28') }).output).toBe('pod/late configured\n');
  });

  it('the same commands at the same instants give the same state; the action log replays it', () => {
    // Odd seconds: the scheduler and controller-manager renew their Leases on every even second, and a
    // timeline entry runs before the other events of its instant where a user's command runs after them.
    const script: Array<[number, string]> = [
      [21_000, 'scale deploy web --replicas=5'],
      [35_000, 'cordon node-2'],
      [41_000, 'taint nodes node-3 maintenance=soon:PreferNoSchedule'],
      [51_000, 'set image deployment/web nginx=nginx:1.28'],
      [71_000, 'drain node-2 --ignore-daemonsets'],
      [81_000, 'rollout restart deploy/web'],
    ];
    const live = () => {
      const c = clusterOf(objects(), SEED);
      for (const [at, line] of script) {
        c.runUntil(at);
        expect(kubectl(c, line).exitCode).toBe(0);
      }
      c.runUntil(120_000);
      return c;
    };
    const a = live();
    const b = live();
    expect(a.stateHash()).toBe(b.stateHash());
    // A fresh cluster with the recorded actions as its timeline ends in the same state.
    const replay = createCluster({ ...emptyScenario(), seed: SEED, objects: objects(), timeline: a.userActions.map((e) => ({ ...e })) });
    replay.runUntil(120_000);
    expect(replay.stateHash()).toBe(a.stateHash());
  });
});
