import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from './gallery/default-scenario';
import { loadScenario } from './load';
import { parseScenario } from './parse';
import { ScenarioError, type ScenarioProblem } from './problems';

const problemsOf = (text: string): ScenarioProblem[] => {
  try {
    loadScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
};

const SCENARIO_HEAD = `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
`;

describe('parseScenario', () => {
  it('reads the default scenario: seed, etcd members and manifests', () => {
    const m = parseScenario(DEFAULT_SCENARIO_YAML);
    expect(m.seed).toBe(42);
    expect(m.controlPlane.etcdMembers).toBe(3);
    expect(m.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Node/node-1', 'Node/node-2', 'Node/node-3', 'Deployment/web', 'Service/web', 'Pod/debug']);
  });

  it('accepts a file with no Scenario document', () => {
    const m = parseScenario(readFileSync(new URL('./examples/nodes-and-pods.yaml', import.meta.url), 'utf8'));
    expect(m.seed).toBe(1);
    expect(m.objects).toHaveLength(4);
  });

  it('reads durations as Go writes them and sorts the timeline stably', () => {
    const m = parseScenario(`${SCENARIO_HEAD}  settings: {nodeMonitorGracePeriod: 50s}
  timeline:
  - {at: 1m30s, action: powerOff, node: n1}
  - {at: 90s, action: cordon, node: n2}
  - {at: 5s, action: scale, kind: Deployment, name: web, replicas: 5}
`);
    expect(m.settings.nodeMonitorGracePeriod).toBe(50_000);
    expect(m.timeline.map((e) => `${e.at} ${e.action}`)).toEqual(['5000 scale', '90000 powerOff', '90000 cordon']);
  });

  it('names the line of a YAML syntax error', () => {
    const p = problemsOf(`apiVersion: v1
kind: Node
metadata:
  name: a
---
apiVersion: v1
kind: Pod
metadata: {name: x
spec: {}
`);
    expect(p[0].document).toBe(2);
    expect(p[0].line).toBeGreaterThanOrEqual(8);
    expect(p[0].message).toMatch(/^YAML syntax error/);
  });

  it('names the document, line and field of an invalid manifest, with the apiserver message', () => {
    const p = problemsOf(`apiVersion: v1
kind: Node
metadata: {name: a}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ document: 2, line: 10, field: 'spec.replicas', object: 'Deployment "web"' });
    expect(p[0].message).toBe('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(new ScenarioError(p).message).toBe(
      'document 2 (Deployment "web"), line 10: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('reports unknown kinds, wrong apiVersions and missing names', () => {
    const p = problemsOf(`apiVersion: v1
kind: Gadget
metadata: {name: a}
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {}
spec: {containers: [{name: c, image: x}]}
`);
    expect(p.map((x) => [x.document, x.field])).toEqual([
      [1, 'kind'],
      [2, 'apiVersion'],
      [3, 'metadata.name'],
    ]);
    expect(p[1].message).toContain('no matches for kind "Deployment" in version "extensions/v1beta1"');
  });

  it('checks the Scenario document field by field', () => {
    const p = problemsOf(`${SCENARIO_HEAD}  seed: 1.5
  controlPlane: {etcdMembers: 9}
  settings: {nodeMonitorGracePeriod: 40, warpDrive: 1s}
  timeline:
  - {at: soon, action: powerOff, node: n1}
  - {at: 1s, action: explode}
  - {at: 1s, action: scale, kind: Deployment, name: web}
  - {at: 1s, action: stopComponent, component: etcd-9}
`);
    const fields = p.map((x) => x.field);
    expect(fields).toEqual([
      'spec.seed',
      'spec.controlPlane.etcdMembers',
      'spec.settings.nodeMonitorGracePeriod',
      'spec.settings.warpDrive',
      'spec.timeline[0].at',
      'spec.timeline[1].action',
      'spec.timeline[2].replicas',
      'spec.timeline[3].component',
    ]);
    expect(p.every((x) => x.line !== undefined && x.document === 1)).toBe(true);
    expect(p[4].message).toContain('invalid duration "soon"');
    expect(p[4].line).toBe(9);
  });

  it('rejects a second Scenario document', () => {
    const p = problemsOf(`${SCENARIO_HEAD}  seed: 1\n---\n${SCENARIO_HEAD}  seed: 2\n`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ document: 2, field: 'kind' });
  });

  it('places build problems (missing namespace, duplicates) on their document', () => {
    const p = problemsOf(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: prod}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Node
metadata: {name: n}
---
apiVersion: v1
kind: Node
metadata: {name: n}
`);
    expect(p.map((x) => x.document)).toEqual([1, 3]);
    expect(p[0].message).toContain('namespaces "prod" not found');
    expect(p[1].message).toContain('already exists');
  });

  it('survives hostile input: alias bombs, non-mapping documents, binary noise', () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
`;
    expect(problemsOf(bomb)[0].message).toMatch(/YAML cannot be read|alias/i);
    expect(problemsOf('- just\n- a list\n')[0].message).toContain('must be a mapping');
    expect(problemsOf('\u0000\u0001\u0002:::')[0].document).toBe(1);
  });

  it('expands a kubectl List into its items', () => {
    const m = parseScenario(`apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: a}}
- {apiVersion: v1, kind: Node, metadata: {name: b}}
`);
    expect(m.objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });
});

describe('node pools', () => {
  it('stamps nodes across zones with pods bound to each', () => {
    const { cluster } = loadScenario(`${SCENARIO_HEAD}  nodePools:
  - name: pool
    count: 12
    zones: [a, b, c]
    template:
      metadata: {labels: {tier: big}}
      status: {capacity: {cpu: "16", memory: 64Gi}}
    pods:
      perNode: 2
      template:
        metadata: {name: app, labels: {app: x}}
        spec: {containers: [{name: c, image: nginx:1.27}]}
`);
    const nodes = cluster.objects().filter((o) => o.kind === 'Node');
    expect(nodes.map((n) => n.metadata.name).slice(0, 3)).toEqual(['pool-01', 'pool-02', 'pool-03']);
    expect(nodes).toHaveLength(12);
    expect(nodes[1].metadata.labels).toMatchObject({ tier: 'big', 'topology.kubernetes.io/zone': 'b', 'kubernetes.io/hostname': 'pool-02' });
    expect((nodes[0].status as { capacity: Record<string, string> }).capacity).toMatchObject({ cpu: '16', memory: '64Gi', pods: '110' });
    const pods = cluster.objects().filter((o) => o.kind === 'Pod');
    expect(pods).toHaveLength(24);
    expect(new Set(pods.map((p) => p.metadata.uid)).size).toBe(24);
    expect(pods.find((p) => p.metadata.name === 'pool-05-app-2')?.spec).toMatchObject({ nodeName: 'pool-05' });
  });

  it('reports a bad pool template with its field', () => {
    const p = problemsOf(`${SCENARIO_HEAD}  nodePools:
  - name: pool
    count: 2
    template:
      spec:
        taints: [{key: a, effect: Sometimes}]
`);
    expect(p).toHaveLength(1);
    // Upstream reports Node taints under metadata.taints; the line is where they are written.
    expect(p[0].field).toBe('spec.nodePools[0].template.metadata.taints[0].effect');
    expect(p[0].line).toBe(10);
  });
});
