import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { KubeObject } from '../sim/api/types';
import { createCluster, type Cluster } from '../sim/cluster';
import { emptyScenario } from '../sim/model';
import { planApply, type ApplyPlan } from './apply-yaml';
import { objectYaml } from './object-yaml';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
};

function setup(): Cluster {
  return createCluster({ ...emptyScenario(), objects: [node('node-1'), node('node-2'), node('node-3'), web] });
}

function stored(c: Cluster, kind: string, name: string, namespace?: string): KubeObject | undefined {
  return c.objects().find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}

/** The stored object's YAML (what the editor opens with), with `edit` applied to it as a user would type it. */
function edited(c: Cluster, kind: string, name: string, edit: (d: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(objectYaml(stored(c, kind, name)!));
  edit(doc);
  return doc.toString({ lineWidth: 0 });
}

function failed(plan: ApplyPlan) {
  if (plan.ok) throw new Error(`expected diagnostics, got ${JSON.stringify(plan.summary)}`);
  return plan.diagnostics;
}

function passed(plan: ApplyPlan) {
  if (!plan.ok) throw new Error(`expected a plan, got ${JSON.stringify(plan.diagnostics)}`);
  return plan;
}

const podYaml = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: nginx:1.27
`;

describe('planApply: what stops an apply', () => {
  it('a YAML syntax error is reported at its line and column, and nothing else is checked', () => {
    const c = setup();
    // Line 7 repeats the key of line 6; document 2's line 10 (of the whole text) indents with a tab.
    const text = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 3', '  replicas: 4', '---', 'kind: Pod', '\tname: x', ''].join('\n');
    const d = failed(planApply(c, text));
    expect(d).toEqual([
      { line: 7, column: 3, endLine: 7, endColumn: 4, message: 'YAML syntax error: Map keys must be unique', severity: 'error', document: 1 },
      expect.objectContaining({ line: 10, column: 1, message: 'YAML syntax error: Tabs are not allowed as indentation', document: 2 }),
    ]);
  });

  it('an unclosed bracket is reported where the parser finds out: at the end of the text', () => {
    const text = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: [3', ''].join('\n');
    const d = failed(planApply(setup(), text));
    // The text has 6 lines and a final newline, so the end is line 7, column 1.
    expect(d).toEqual([expect.objectContaining({ line: 7, column: 1, message: expect.stringMatching(/^YAML syntax error: Flow sequence .* must be sufficiently indented and end with a \]/) })]);
  });

  it('replicas: -1 gets the apiserver message at the replicas line, and the valid document beside it is not applied', () => {
    const c = setup();
    const revision = c.revision;
    const deployment = edited(c, 'Deployment', 'web', (d) => d.setIn(['spec', 'replicas'], -1));
    const text = `${podYaml('extra')}---\n${deployment}`;
    const d = failed(planApply(c, text));
    expect(d).toHaveLength(1);
    const replicasLine = text.split('\n').findIndex((l) => l === '  replicas: -1') + 1;
    expect(replicasLine).toBeGreaterThan(9); // in the second document: the Pod takes lines 1-8, "---" is line 9
    expect(d[0]).toMatchObject({
      line: replicasLine,
      document: 2,
      severity: 'error',
      message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    });
    // Nothing reached storage: the same revision, no Pod "extra", web still at 3.
    expect(c.revision).toBe(revision);
    expect(stored(c, 'Pod', 'extra')).toBeUndefined();
    expect((stored(c, 'Deployment', 'web')!.spec as { replicas: number }).replicas).toBe(3);
  });

  it('several invalid fields: one message per field, each at its own line', () => {
    const c = setup();
    const text = edited(c, 'Deployment', 'web', (d) => {
      d.setIn(['spec', 'replicas'], -1);
      d.setIn(['spec', 'template', 'spec', 'containers', 0, 'image'], '');
    });
    const d = failed(planApply(c, text));
    const lineOf = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(d.map((x) => [x.line, x.message])).toEqual([
      [lineOf('replicas: -1'), 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
      [lineOf('image: ""'), 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value'],
    ]);
  });

  it('an unknown kind is named at its kind line; a wrong apiVersion at its apiVersion line', () => {
    const c = setup();
    const d = failed(planApply(c, 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n'));
    expect(d[0]).toMatchObject({ line: 2 });
    expect(d[0].message).toMatch(/^no matches for kind "Widget" in version "example.com\/v1" \(kubeviz simulates Namespace, Node, Pod/);
    const v = failed(planApply(c, 'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: w\n'));
    expect(v[0]).toMatchObject({ line: 1, message: 'no matches for kind "Deployment" in version "v1" (use apiVersion apps/v1)' });
  });

  it('kubectl refuses a missing name, and generateName, before sending anything', () => {
    const c = setup();
    const none = failed(planApply(c, 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\nspec: {containers: [{name: c, image: nginx}]}\n'));
    expect(none[0]).toMatchObject({ line: 4, message: 'resource name may not be empty' });
    const gen = failed(planApply(c, 'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: job-\nspec: {containers: [{name: c, image: nginx}]}\n'));
    expect(gen[0]).toMatchObject({ line: 4, message: 'from job-: cannot use generate name with apply' });
    const bare = failed(planApply(c, 'metadata: {name: x}\n'));
    expect(bare[0].message).toBe('error validating data: apiVersion not set, kind not set');
  });

  it('a stale edit gets 409 Conflict with upstream message, flagged so the editor can offer to reload', () => {
    const c = setup();
    // The text as the editor opened it at 0 s; by 10 s the deployment controller has written status, so resourceVersion moved.
    const text = edited(c, 'Deployment', 'web', (d) => d.setIn(['spec', 'replicas'], 6));
    c.runUntil(10_000);
    const d = failed(planApply(c, text, { sourceKey: 'Deployment/default/web' }));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      conflict: true,
      objectKey: 'Deployment/default/web',
      line: text.split('\n').findIndex((l) => l.startsWith('  resourceVersion:')) + 1,
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    });
    // The span is the whole document: replacing it with the stored object's YAML is the reload.
    expect(d[0].span).toEqual({ from: 0, to: text.length });

    // In a text of several documents the span is that document alone, without its `---`.
    const several = `${podYaml('side')}---\n${text}`;
    const conflict = failed(planApply(c, several)).find((x) => x.conflict)!;
    expect(several.slice(conflict.span!.from, conflict.span!.to)).toBe(text);
  });

  it('the same object twice in one text is refused', () => {
    const c = setup();
    const d = failed(planApply(c, `${podYaml('twice')}---\n${podYaml('twice')}`));
    // The Pod is 8 lines, then `---` at 9: the second copy's `name:` is line 13.
    expect(d[0]).toMatchObject({ document: 2, line: 13, message: 'pod/twice is already in this text (document 1); each object may appear once' });
  });

  it('`__proto__` keys are plain data: nothing is polluted and they cannot stand in for real fields', () => {
    const c = setup();
    const d = failed(planApply(c, '__proto__:\n  kind: Pod\n  apiVersion: v1\nmetadata:\n  name: sneaky\n'));
    expect(d[0].message).toBe('error validating data: apiVersion not set, kind not set');
    const labels = failed(planApply(c, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    __proto__: x\nspec: {containers: [{name: c, image: nginx}]}\n'));
    // The apiserver's label-key validation refuses it, at the labels map (which begins on line 6).
    expect(labels[0].line).toBe(6);
    expect(labels[0].message).toMatch(/^Pod "p" is invalid: metadata\.labels: Invalid value: "__proto__": /);
    expect(({} as Record<string, unknown>).kind).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('apiVersion');
  });

  it('a field of the wrong shape is refused without breaking the simulation', () => {
    const c = setup();
    // taints must be a list; admission would trip over a map.
    const d = failed(planApply(c, 'apiVersion: v1\nkind: Node\nmetadata: {name: n9}\nspec:\n  taints: {a: 1}\n'));
    expect(d[0].message).toMatch(/^Node in version "v1" cannot be handled as a Node: /);
    c.runUntil(1_000);
    expect(stored(c, 'Node', 'n9')).toBeUndefined();
  });

  it('a stopped apiserver: the connection error, nothing applied', () => {
    const c = setup();
    c.apiserver.stop();
    const d = failed(planApply(c, podYaml('late')));
    expect(d[0].message).toBe('The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?');
  });
});

describe('planApply: what it plans', () => {
  it('a new object: "created", and the apply action creates it', () => {
    const c = setup();
    const plan = passed(planApply(c, podYaml('debug2')));
    expect(plan.summary).toEqual(['pod/debug2 created']);
    expect(c.act({ action: 'apply', manifests: plan.manifests })).toEqual([{ ok: true, message: 'pod/debug2 created' }]);
    expect(stored(c, 'Pod', 'debug2')).toBeDefined();
  });

  it('several documents, with a Namespace and objects in it, a List, and an unchanged object', () => {
    const c = setup();
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: api, namespace: team}\n  spec: {selector: {app: api}, ports: [{port: 80}]}\n',
      podYaml('worker').replace('  name: worker', '  name: worker\n  namespace: team'),
      objectYaml(stored(c, 'Node', 'node-2')!),
    ].join('---\n');
    const plan = passed(planApply(c, text));
    expect(plan.summary).toEqual(['namespace/team created', 'service/api created', 'pod/worker created', 'node/node-2 unchanged']);
    // Only what changes something is recorded.
    expect(plan.manifests.map((m) => m.kind)).toEqual(['Namespace', 'Service', 'Pod']);
    c.act({ action: 'apply', manifests: plan.manifests });
    expect(stored(c, 'Service', 'api', 'team')).toBeDefined();
    expect(stored(c, 'Pod', 'worker', 'team')).toBeDefined();
  });

  it('replicas 3 -> 6 from the stored YAML: "configured", and six pods come up', () => {
    const c = setup();
    c.runUntil(10_000);
    const plan = passed(planApply(c, edited(c, 'Deployment', 'web', (d) => d.setIn(['spec', 'replicas'], 6)), { sourceKey: 'Deployment/default/web' }));
    expect(plan.summary).toEqual(['deployment.apps/web configured']);
    // The action log carries no resourceVersion (the apply action drops it anyway).
    expect(plan.manifests[0].metadata.resourceVersion).toBeUndefined();
    c.act({ action: 'apply', manifests: plan.manifests });
    c.runUntil(40_000);
    const running = c.objects().filter((o) => o.kind === 'Pod' && o.metadata.name!.startsWith('web-') && (o.status as { phase?: string }).phase === 'Running');
    expect(running).toHaveLength(6);
  });

  it("a Node's labels and taints edited: the node carries them, and a bad taint effect is named at its line", () => {
    const c = setup();
    const text = edited(c, 'Node', 'node-1', (d) => {
      d.setIn(['metadata', 'labels', 'disk'], 'ssd');
      d.setIn(['spec', 'taints'], [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    });
    const plan = passed(planApply(c, text, { sourceKey: 'Node//node-1' }));
    expect(plan.summary).toEqual(['node/node-1 configured']);
    c.act({ action: 'apply', manifests: plan.manifests });
    const n = stored(c, 'Node', 'node-1')!;
    expect(n.metadata.labels).toMatchObject({ disk: 'ssd', 'kubernetes.io/hostname': 'node-1' });
    expect((n.spec as { taints: unknown[] }).taints).toContainEqual({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });

    const bad = edited(c, 'Node', 'node-1', (d) => d.setIn(['spec', 'taints'], [{ key: 'dedicated', value: 'gpu', effect: 'Sometimes' }]));
    const d = failed(planApply(c, bad));
    // Upstream names the field metadata.taints; the line is where the user wrote it, under spec.taints.
    expect(d[0].message).toBe('Node "node-1" is invalid: metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
    expect(d[0].line).toBe(bad.split('\n').findIndex((l) => l.includes('effect: Sometimes')) + 1);
  });

  it('an existing object pasted without labels keeps its labels (apply never removes what it was not told about)', () => {
    const c = setup();
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.28"}]}
`;
    const plan = passed(planApply(c, text));
    expect(plan.summary).toEqual(['deployment.apps/web configured']);
    expect(plan.manifests[0].metadata.labels).toEqual({ app: 'web' });
    c.act({ action: 'apply', manifests: plan.manifests });
    expect(stored(c, 'Deployment', 'web')!.metadata.labels).toEqual({ app: 'web' });
  });

  it('planning changes nothing in the cluster, now or later', () => {
    const a = setup();
    const b = setup();
    a.runUntil(5_000);
    b.runUntil(5_000);
    planApply(a, `${podYaml('p')}---\n${edited(a, 'Deployment', 'web', (d) => d.setIn(['spec', 'replicas'], 5))}`);
    planApply(a, 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}], type: NodePort}\n');
    expect(a.stateHash()).toBe(b.stateHash());
    a.runUntil(30_000);
    b.runUntil(30_000);
    expect(a.stateHash()).toBe(b.stateHash());
  });

  it('a text of comments only plans nothing', () => {
    const plan = passed(planApply(setup(), '# paste manifests here\n'));
    expect(plan.manifests).toEqual([]);
    expect(plan.summary).toEqual([]);
  });
});
