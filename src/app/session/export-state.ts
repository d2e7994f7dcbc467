// "Export the current state as a scenario": the cluster's objects as they
// are now become the starting objects of a new scenario file. The objects go
// through the real-cluster importer (src/scenario/import-cluster.ts), which
// does exactly what a live object needs to be a starting one (server fields,
// status and ownerReferences dropped, pods kept on their nodes, Events and
// Leases left out). This module adds what only a kubeviz cluster has: the
// original scenario's seed, control plane, timing settings, registry and
// scheduler configuration, and the faults in force (a powered-off node, a
// powered-off control-plane machine, a stopped component) as timeline
// actions at 0 s, so they stay in force. A control-plane machine that is off
// is one powerOff, not a stopComponent per process on it: powering it on
// again in the exported scenario then starts them all, as it would have.
import { parseAllDocuments } from 'yaml';
import { importCluster, type ImportNote } from '../../scenario/import-cluster';
import { isPlainObject } from '../../scenario/manifest-check';
import type { KubeObject } from '../../sim/api/types';
import type { MachineState } from '../../sim/cluster/machines';
import type { Action } from '../../sim/model';

/** What the exporter reads of a live cluster. */
export interface ExportSource {
  now: number;
  objects(): KubeObject[];
  components(): Array<{ name: string; state: string }>;
  machines: { faulted(): Array<[string, MachineState]> };
  /** The control-plane machines (cluster.controlPlaneNodes()): what runs on each and whether it has power. */
  controlPlaneNodes?(): Array<{ name: string; powered: boolean; components: string[] }>;
}

export interface ExportResult {
  /** A scenario file (YAML). */
  scenario: string;
  /** Its Scenario document's name: `<scenario>-at-<instant>`. */
  name: string;
  notes: ImportNote[];
}

/** Spec fields of the original Scenario document that still hold for its state (its nodePools are Nodes now, its timeline has run). */
const CARRIED_SPEC = ['seed', 'controlPlane', 'settings', 'registry', 'cloud', 'addons'] as const;

export function exportState(cluster: ExportSource, original: string, scenarioName: string, clock: string): ExportResult {
  const items = cluster.objects();
  const imported = importCluster(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  const name = `${scenarioName}-at-${clock.replace(/[^0-9a-z]+/gi, '-').replace(/^-|-$/g, '')}`.toLowerCase().slice(0, 253);
  const nodes = new Set(items.filter((o) => o.kind === 'Node').map((o) => o.metadata.name));

  const timeline: Array<Record<string, unknown>> = [];
  for (const [node, m] of cluster.machines.faulted()) {
    if (!nodes.has(node)) continue;
    const verbs: Array<Action['action']> = !m.powered ? ['powerOff'] : [...(m.kubeletRunning ? [] : ['stopKubelet' as const]), ...(m.partitioned ? ['partition' as const] : []), ...(m.memoryPressure ? ['fillMemory' as const] : [])];
    for (const action of verbs) timeline.push({ at: '0s', action, node });
  }
  // A control-plane machine without power: its processes stopped with it.
  const offMachine = new Set<string>();
  for (const m of cluster.controlPlaneNodes?.() ?? []) {
    if (m.powered) continue;
    timeline.push({ at: '0s', action: 'powerOff', node: m.name });
    for (const c of m.components) offMachine.add(c);
  }
  for (const c of cluster.components()) if (c.state === 'stopped' && !offMachine.has(c.name)) timeline.push({ at: '0s', action: 'stopComponent', component: c.name });

  const { spec: originalSpec, schedulerConfig } = originalParts(original);
  // The importer's header comment (a real cluster's notes) gives way to this file's own.
  const body = imported.scenario.replace(/^(#[^\n]*\n)+/, '');
  const docs = parseAllDocuments(body);
  const scenarioDoc = Array.isArray(docs) ? docs[0] : undefined;
  if (!scenarioDoc || docs.length === 0) throw new Error('the importer returned no scenario');
  const spec: Record<string, unknown> = { seed: 1 };
  for (const k of CARRIED_SPEC) if (originalSpec[k] !== undefined) spec[k] = originalSpec[k];
  if (timeline.length > 0) spec.timeline = timeline;
  scenarioDoc.setIn(['metadata', 'name'], name);
  scenarioDoc.setIn(['metadata', 'annotations', 'kubeviz.dev/title'], `${scenarioName} as it was at ${clock}`);
  scenarioDoc.setIn(
    ['metadata', 'annotations', 'kubeviz.dev/description'],
    `The objects of "${scenarioName}" at ${clock}, exported by kubeviz: ${imported.counts.imported} objects, ${imported.counts.leftOut} left out (see the notes at the top of the file).`,
  );
  scenarioDoc.set('spec', scenarioDoc.createNode(spec));

  const notes: ImportNote[] = [
    ...imported.notes,
    { action: 'changed', message: 'every object starts afresh at 0 s: pods Running on their nodes, timers (grace periods, back-offs, tolerationSeconds) start again' },
    ...(timeline.length > 0 ? [{ action: 'added' as const, message: `the faults in force are timeline actions at 0 s: ${timeline.map((t) => `${t.action} ${t.node ?? t.component}`).join(', ')}` }] : []),
  ];
  const header = [
    `Exported by kubeviz from the scenario "${scenarioName}" at ${clock}: ${imported.counts.imported} objects as they were then.`,
    ...notes.map((n) => `- ${n.action}: ${n.object ? `${n.object}: ` : ''}${n.message}`),
  ]
    .map((l) => `# ${l.replace(/\r?\n/g, ' ')}`)
    .join('\n');
  const rest = body.slice(scenarioDoc.range[2]);
  const scheduler = schedulerConfig ? `---\n${schedulerConfig.endsWith('\n') ? schedulerConfig : `${schedulerConfig}\n`}` : '';
  return { scenario: `${header}\n${scenarioDoc.toString({ lineWidth: 0 })}${rest.startsWith('---') ? rest : `---\n${rest}`}${scheduler}`, name, notes };
}

/** The original file's Scenario spec and its KubeSchedulerConfiguration document (as written). */
function originalParts(text: string): { spec: Record<string, unknown>; schedulerConfig?: string } {
  let spec: Record<string, unknown> = {};
  let schedulerConfig: string | undefined;
  for (const doc of parseAllDocuments(text)) {
    if (!('toJS' in doc) || doc.errors.length || doc.contents === null) continue;
    const v: unknown = doc.toJS({ maxAliasCount: 100 });
    if (!isPlainObject(v)) continue;
    if (v.kind === 'Scenario' && isPlainObject(v.spec)) spec = v.spec;
    if (v.kind === 'KubeSchedulerConfiguration') schedulerConfig = text.slice(doc.range[0], doc.range[2]).replace(/^---[^\n]*\n/, '');
  }
  return { spec, schedulerConfig };
}
