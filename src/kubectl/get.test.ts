import { describe, expect, it } from 'vitest';
import { objectYaml } from '../scenario/object-yaml';
import { clusterOf, kubectl, node, pod } from './test-cluster';

// Two nodes, three bare pods bound from the start (two in default, one in ops)
// and a Service with a fixed ClusterIP, looked at 95 s in.
function cluster() {
  const c = clusterOf([
    node('node-1'),
    node('node-2'),
    pod('api', { nodeName: 'node-1' }, { labels: { app: 'api', tier: 'backend' } }),
    pod('cache', { nodeName: 'node-2' }, { labels: { app: 'cache' } }),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } },
    pod('probe', { nodeName: 'node-2' }, { namespace: 'ops' }),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'default' }, spec: { clusterIP: '10.96.0.50', selector: { app: 'api' }, ports: [{ port: 8080 }] } },
  ]);
  c.runUntil(95_000);
  return c;
}

describe('kubectl get: tables as kubectl prints them', () => {
  it('pods: NAME READY STATUS RESTARTS AGE, columns padded to the widest cell + 3', () => {
    // NAME: "cache" 5 + 3 = 8; READY: "READY" 5 + 3 = 8; STATUS: "Running" 7 + 3 = 10; RESTARTS: 8 + 3 = 11.
    expect(kubectl(cluster(), 'get pods').output).toBe(
      ['NAME    READY   STATUS    RESTARTS   AGE', 'api     1/1     Running   0          95s', 'cache   1/1     Running   0          95s', ''].join('\n'),
    );
  });

  it('-o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', () => {
    // Each node's pod CIDR is 10.244.N.0/24 and the first pod gets .2.
    expect(kubectl(cluster(), 'get pods -o wide').output).toBe(
      [
        'NAME    READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES',
        'api     1/1     Running   0          95s   10.244.0.2   node-1   <none>           <none>',
        'cache   1/1     Running   0          95s   10.244.1.2   node-2   <none>           <none>',
        '',
      ].join('\n'),
    );
  });

  it('-A adds a NAMESPACE column and lists namespaces in order', () => {
    expect(kubectl(cluster(), 'get pods -A').output).toBe(
      [
        'NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE',
        'default     api     1/1     Running   0          95s',
        'default     cache   1/1     Running   0          95s',
        'ops         probe   1/1     Running   0          95s',
        '',
      ].join('\n'),
    );
  });

  it('-l filters by label and --show-labels appends LABELS', () => {
    expect(kubectl(cluster(), 'get pods -l tier=backend --show-labels').output).toBe(
      ['NAME   READY   STATUS    RESTARTS   AGE   LABELS', 'api    1/1     Running   0          95s   app=api,tier=backend', ''].join('\n'),
    );
    expect(kubectl(cluster(), "get pods -l 'app in (cache)' -o name").output).toBe('pod/cache\n');
  });

  it('-n and --namespace= scope the namespace; nothing found is said on stderr with exit 0', () => {
    expect(kubectl(cluster(), 'get pods -n ops -o name').output).toBe('pod/probe\n');
    const none = kubectl(cluster(), 'get deployments');
    expect(none).toMatchObject({ output: '', error: 'No resources found in default namespace.\n', exitCode: 0 });
    expect(kubectl(cluster(), 'get pods --namespace=kube-system').error).toBe('No resources found in kube-system namespace.\n');
  });

  it('several kinds: one table each after a blank line, names prefixed with kind(.group)', () => {
    expect(kubectl(cluster(), 'get po,svc').output).toBe(
      [
        'NAME        READY   STATUS    RESTARTS   AGE',
        'pod/api     1/1     Running   0          95s',
        'pod/cache   1/1     Running   0          95s',
        '',
        'NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE',
        'service/api          ClusterIP   10.96.0.50   <none>        8080/TCP   95s',
        'service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP    95s',
        '',
      ].join('\n'),
    );
  });

  it('TYPE/NAME and TYPE NAME ... forms; a missing name is a NotFound after the rows, exit 1', () => {
    const r = kubectl(cluster(), 'get pod api cache nope');
    expect(r.output).toBe(['NAME    READY   STATUS    RESTARTS   AGE', 'api     1/1     Running   0          95s', 'cache   1/1     Running   0          95s', ''].join('\n'));
    expect(r.error).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(r.exitCode).toBe(1);
    expect(kubectl(cluster(), 'get pods/api nodes/node-2 -o name').output).toBe('pod/api\nnode/node-2\n');
  });

  it('nodes: NAME STATUS ROLES AGE VERSION', () => {
    expect(kubectl(cluster(), 'get no').output).toBe(['NAME     STATUS   ROLES    AGE   VERSION', 'node-1   Ready    <none>   95s   v1.34.0', 'node-2   Ready    <none>   95s   v1.34.0', ''].join('\n'));
  });

  it('-o yaml prints one object for one name, else a v1 List with an empty resourceVersion', () => {
    const c = cluster();
    const stored = c.objects().find((o) => o.kind === 'Pod' && o.metadata.name === 'api')!;
    expect(kubectl(c, 'get pod api -o yaml').output).toBe(objectYaml(stored));
    const list = kubectl(c, 'get pods -l app=api -oyaml').output;
    expect(list).toBe(objectYaml({ apiVersion: 'v1', items: [stored], kind: 'List', metadata: { resourceVersion: '' } }));
    expect(list.startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n')).toBe(true);
  });

  it('-o json: four-space indent, keys sorted as Go encodes maps', () => {
    const out = kubectl(cluster(), 'get node node-1 -o json').output;
    expect(out.startsWith('{\n    "apiVersion": "v1",\n    "kind": "Node",\n    "metadata": {\n')).toBe(true);
    expect(JSON.parse(out).metadata.name).toBe('node-1');
  });

  it('reports unknown types, commands and flags in kubectl words', () => {
    const c = cluster();
    expect(kubectl(c, 'get foo')).toMatchObject({ error: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 });
    expect(kubectl(c, 'kubectl gett pods').error).toBe('error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tget\n\tset\n');
    expect(kubectl(c, 'frobnicate').error).toBe('error: unknown command "frobnicate" for "kubectl"\n');
    expect(kubectl(c, 'get pods --bogus').error).toBe("error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n");
    expect(kubectl(c, 'get pods -o jsonpath={.items}').error).toMatch(/^error: --output=jsonpath is not available/);
    expect(kubectl(c, 'get pods -o table').error).toBe(
      'error: unable to match a printer suitable for the output format "table", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n',
    );
  });

  it('says the connection was refused while kube-apiserver is stopped', () => {
    const c = cluster();
    c.act({ action: 'stopComponent', component: 'kube-apiserver' });
    expect(kubectl(c, 'get pods')).toMatchObject({
      output: '',
      error: 'The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?\n',
      exitCode: 1,
    });
  });

  it('looking changes nothing: no action, no wire message, the same state hash', () => {
    const c = cluster();
    const before = c.stateHash();
    for (const line of ['get pods -A -o wide', 'describe node node-1', 'get events', 'logs api']) expect(kubectl(c, line).actions).toEqual([]);
    expect(c.stateHash()).toBe(before);
  });
});
