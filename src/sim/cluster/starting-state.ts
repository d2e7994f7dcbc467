// Builds the starting cluster from a scenario: system objects, the file's
// manifests and the node pools, each through the apiserver's create pipeline
// (defaulting, admission, validation; a pool's copies of one node or pod are
// stamped from one that went through it), then stored in one go as a
// restored snapshot. Problems name the manifest or pool they come from.
import type { KubeObject, Node, Pod } from '../api/types';
import type { ApiServer } from '../apiserver/apiserver';
import { isFailure } from '../apiserver/status';
import { timestamp } from '../kernel/time';
import type { NodePool, ScenarioModel } from '../model';
import { addonObjects } from '../addons';
import { registeredNode, settledNode } from './node-defaults';
import { PoolNodes } from './pool-nodes';
import { SettledWorkloads, type PoolNode } from './settled-workloads';
import { StartingObjects, type Prepared } from './starting-objects';
import { SYSTEM_NAMESPACES, systemObjects } from './system-objects';

export interface LoadProblem {
  /** Index into ScenarioModel.objects, or a pool index. */
  source: { object: number } | { pool: number; field: string };
  message: string;
}

export class ClusterLoadError extends Error {
  constructor(readonly problems: LoadProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

export function loadStartingState(api: ApiServer, model: ScenarioModel): void {
  const problems: LoadProblem[] = [];
  const declared = new Set<string>(SYSTEM_NAMESPACES);
  for (const o of model.objects) if (o.kind === 'Namespace' && o.metadata?.name) declared.add(o.metadata.name);
  const objects = new StartingObjects(declared);
  let nodeIndex = 0;

  const declaredByFile = new Set(model.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
  // PriorityClasses are stored first: pods' Priority admission reads them.
  const classesFirst = (o: { kind?: string }) => (o.kind === 'PriorityClass' ? 0 : 1);
  const system = [...systemObjects(), ...addonObjects(model.addons)].sort((a, b) => classesFirst(a) - classesFirst(b));
  const files = model.objects.map((o, index) => ({ o, index })).sort((a, b) => classesFirst(a.o) - classesFirst(b.o) || a.index - b.index);
  let restored = 0;
  const restoreClasses = () => {
    api.restore(objects.list.slice(restored));
    restored = objects.length;
  };
  for (const o of system) {
    if (o.kind === 'Namespace' && declaredByFile.has(o.metadata.name)) continue;
    const p = api.prepareNew(o, false);
    if (isFailure(p)) throw new Error(`system object ${o.metadata.name}: ${p.message}`);
    objects.add(p);
  }
  let classesRestored = false;
  files.forEach(({ o: input, index }) => {
    if (!classesRestored && input.kind !== 'PriorityClass') {
      restoreClasses();
      classesRestored = true;
    }
    const obj = input.kind === 'Node' && input.metadata?.name ? (registeredNode(input as Node, nodeIndex++, 0) as KubeObject) : input;
    const p = api.prepareNew(obj, false);
    if (isFailure(p)) return problems.push({ source: { object: index }, message: p.message });
    const settled = p.info.resource === 'pods' ? bound(p.obj as Pod) : p.info.resource === 'nodes' ? settledNode(p.obj as Node) : p.obj;
    const why = objects.add({ ...p, obj: settled as KubeObject });
    if (why) problems.push({ source: { object: index }, message: why });
  });

  const poolNodes: PoolNode[][] = [];
  model.nodePools.forEach((pool, index) => {
    const nodes: PoolNode[] = [];
    poolNodes.push(nodes);
    const why = loadPool(api, pool, nodeIndex, objects, nodes);
    nodeIndex += pool.count;
    if (why) problems.push({ source: { pool: index, field: why.field }, message: why.message });
  });
  if (!problems.length && model.nodePools.some((p) => p.workloads?.length)) {
    const settled = new SettledWorkloads({
      objects,
      prepare: (obj) => api.prepareNew(obj, false),
      newUid: () => api.newUid(),
      nameSuffix: () => api.newNameSuffix(),
      registry: model.registry,
      podCIDRsKnown: !model.cloud,
    });
    model.nodePools.forEach((pool, index) => {
      const why = settled.place(pool, poolNodes[index]);
      if (why) problems.push({ source: { pool: index, field: why.field }, message: why.message });
    });
    settled.finish(objects.nodes);
  }

  if (problems.length) throw new ClusterLoadError(problems.sort((a, b) => sourceOrder(a) - sourceOrder(b)));
  if (!classesRestored) restoreClasses();
  api.restore(restored ? objects.list.slice(restored) : objects.list);
}

const sourceOrder = (p: LoadProblem) => ('object' in p.source ? p.source.object : 1e9 + p.source.pool);

/** A pod that starts on a node has been through binding: PodScheduled is True. */
function bound(pod: Pod): Pod {
  if (!pod.spec?.nodeName) return pod;
  const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  return {
    ...pod,
    status: { ...pod.status, conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(0) }] },
  } as Pod;
}

/**
 * Stamps a pool's nodes and their pods: the first node of each zone goes
 * through the pipeline and the others are stamped from it (PoolNodes); the
 * pod template is validated once and then stamped, since only the name, uid
 * and node differ: that is what keeps 150,000 pods fast to build.
 */
function loadPool(
  api: ApiServer,
  pool: NodePool,
  firstIndex: number,
  objects: StartingObjects,
  stamped: PoolNode[],
): { field: string; message: string } | undefined {
  const nodes = new PoolNodes(api, pool);
  let podTemplate: Prepared | undefined;
  for (let i = 0; i < pool.count; i++) {
    const p = nodes.node(i, firstIndex + i);
    if (isFailure(p)) return { field: 'template', message: p.message };
    const why = objects.add(p);
    if (why) return { field: 'name', message: why };
    const node = p.obj as Node;
    const name = node.metadata!.name!;
    stamped.push({ node, index: firstIndex + i });
    if (!pool.pods || pool.pods.perNode <= 0) continue;
    const base = pool.pods.template.metadata?.name ?? 'pod';
    if (!podTemplate) {
      const t = pool.pods.template;
      const first = api.prepareNew({ ...t, apiVersion: 'v1', kind: 'Pod', metadata: { ...t.metadata, name: `${name}-${base}-1` }, spec: { ...t.spec!, nodeName: name } } as KubeObject, false);
      if (isFailure(first)) return { field: 'pods.template', message: first.message };
      podTemplate = { info: first.info, obj: bound(first.obj as Pod) as KubeObject };
    }
    const t = podTemplate.obj;
    const refused = objects.refusal(podTemplate.info, t.metadata.namespace);
    if (refused) return { field: 'pods.template.metadata.name', message: refused };
    const names = objects.namesIn(podTemplate.info.resource, t.metadata.namespace);
    // The node's pods share one spec, as their containers are shared.
    const spec = { ...(t.spec as object), nodeName: name };
    for (let j = 1; j <= pool.pods.perNode; j++) {
      const podName = `${name}-${base}-${j}`;
      if (names.has(podName)) return { field: 'pods.template.metadata.name', message: `pods ${JSON.stringify(podName)} already exists` };
      names.add(podName);
      objects.push({ info: podTemplate.info, obj: { ...t, metadata: { ...t.metadata, name: podName, uid: api.newUid() }, spec } });
    }
  }
  return undefined;
}
