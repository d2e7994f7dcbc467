// Everything the UI asks of the live cluster beyond the store's view state,
// as named queries: a query is a function of the Cluster (and plain
// arguments) returning plain data, so it runs wherever the simulation runs.
// On the main thread (tests, `?worker=0`) use-sim-query.ts calls it directly;
// with the simulation in a Web Worker (sim-worker.ts) the worker runs it and
// posts the result back, structured-cloned. Results must therefore be data:
// no functions, no class instances that the UI calls methods on, no Cluster.
// A query a component shows through useSimQuery never answers null (the hook
// takes a null answer for "none yet"): one whose thing may be gone answers
// `{ view: null }`. Arguments pass through JSON there, so an absent optional
// argument arrives as null: queries take `?? undefined` where that matters.
import type { Cluster } from '../../sim/cluster';
import { completeKubectl } from '../../kubectl/complete';
import { planApply } from '../../scenario/apply-yaml';
import { storedEvents } from '../store/events-view';
import { explainerInput, explainPod } from '../store/explainer-views';
import { clusterSource, componentMessages, inspectComponent, inspectObject } from '../store/inspector-views';
import { usageView } from '../store/usage-view';
import { dnsLookupSection } from '../store/dns-lookup-view';
import { objectKey } from '../store/object-rows';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Node as KubeNode, Pod, Service } from 'kubernetes-types/core/v1';
import { cloudSummary } from '../canvas/cloud-view';
import { nodeFromTemplate } from '../canvas/fault-zone-actions';
import { nodeConsequence } from '../canvas/fault-zone-countdown';
import type { ComponentReport, MachineReport } from '../canvas/control-plane-model';
import { exportState } from '../session/export-state';
import { formatClock } from '../format-clock';

export const QUERIES = {
  /** An object's inspector: summary, YAML, events (inspector-views.ts); `view` null when it is not stored. */
  inspectObject: (c: Cluster, key: string) => ({ view: inspectObject(clusterSource(c), key) }),
  /** A component's inspector; `view` null when the cluster has no such component. */
  inspectComponent: (c: Cluster, name: string) => ({ view: inspectComponent(c, name) }),
  /** The newest wire messages a component sent or received. */
  componentMessages: (c: Cluster, name: string) => componentMessages(c.trace(), name),
  /** A pod's Scheduling tab. */
  explainPod: (c: Cluster, podKey: string, cycleId?: string | null) => explainPod(explainerInput(c, podKey, cycleId ?? undefined)),
  /** A Node's or Pod's Usage charts; `view` null for other kinds. */
  usage: (c: Cluster, key: string) => ({ view: usageView(c, key) }),
  /** A Service's DNS lookup section; `view` null when the Service is not stored. */
  dnsLookup: (c: Cluster, service: { namespace: string; name: string }, choice: { asker?: string; name?: string }) => ({ view: dnsLookupSection(c, service, choice) }),
  /** Every stored Event. */
  storedEvents: (c: Cluster) => storedEvents(c),
  /** The YAML editor's check of its text against the live cluster (a server-side dry run). */
  planApply: (c: Cluster, text: string, sourceKey?: string | null) => planApply(c, text, { sourceKey: sourceKey ?? undefined }),
  /** One stored object by its key ("Pod/default/web-1"), or null. */
  storedObject: (c: Cluster, key: string) => c.objects().find((o) => objectKey(o) === key) ?? null,
  /** The machines under the nodes that are not healthy (src/sim/cluster/machines.ts), in name order; copies, not the live states. */
  faultedMachines: (c: Cluster) => c.machines.faulted().map(([name, m]) => [name, { ...m }] as [string, typeof m]),
  /** Where a failed worker's failure has got to (fault-zone-countdown.ts); `view` null when its Node is not stored. */
  nodeConsequence: (c: Cluster, node: string, podKeys: readonly string[], silent: boolean) => ({ view: consequenceOf(c, node, podKeys, silent) }),
  /** The Node "Add node" applies: like the last worker, with the next free name. */
  newNodeManifest: (c: Cluster) => nodeFromTemplate([...c.etcd.store.range('/registry/nodes/')].map((kv) => kv.value as KubeNode)),
  /** The cloud box: its instances and the LoadBalancer Services (cloud-view.ts). */
  cloudSummary: (c: Cluster) => cloudSummary([...c.etcd.store.range('/registry/services/')].map((kv) => kv.value as Service), c.cloud?.view()),
  /** The control plane as the canvas draws it (use-control-plane.ts): components, machines, the load balancer, the cloud. */
  controlPlane: (c: Cluster) => controlPlaneReport(c),
  /** "Export current state": the objects as they are now as a new scenario (export-state.ts), named for this instant. */
  exportState: (c: Cluster, scenarioText: string, scenarioName: string) => exportState(c, scenarioText, scenarioName, formatClock(c.now)),
  /** kubectl's completion candidates for the word at the cursor. */
  completeKubectl: (c: Cluster, line: string, cursor: number) => completeKubectl(c, line, cursor),
  /** The state hash of the live cluster (determinism checks: the same on Node, the main thread and the worker). */
  stateHash: (c: Cluster) => c.stateHash(),
} satisfies Record<string, (c: Cluster, ...args: never[]) => unknown>;

export type Queries = typeof QUERIES;
export type QueryName = keyof Queries;
export type QueryArgs<N extends QueryName> = Queries[N] extends (c: Cluster, ...args: infer A) => unknown ? A : never;
export type QueryResult<N extends QueryName> = ReturnType<Queries[N]>;

/** Runs a query by name (where the cluster is). */
export function runQuery<N extends QueryName>(cluster: Cluster, name: N, args: QueryArgs<N>): QueryResult<N> {
  const fn = QUERIES[name] as unknown as (c: Cluster, ...a: QueryArgs<N>) => QueryResult<N>;
  return fn(cluster, ...args);
}

/** The objects a failed worker's countdown reads, exactly as the controllers read them: its Node, its Lease, its pods. */
function consequenceOf(c: Cluster, name: string, podKeys: readonly string[], silent: boolean) {
  const kv = c.etcd.store;
  const node = kv.get(`/registry/nodes/${name}`)?.value as KubeNode | undefined;
  if (!node) return null;
  const pods: Pod[] = [];
  for (const key of podKeys) {
    const p = kv.get(`/registry/pods/${key}`)?.value as Pod | undefined;
    if (p) pods.push(p);
  }
  return nodeConsequence({
    now: c.now,
    node,
    lease: kv.get(`/registry/leases/kube-node-lease/${name}`)?.value as Lease | undefined,
    pods,
    gracePeriod: c.scenario.settings.nodeMonitorGracePeriod,
    silent,
    controllersRunning: c.controllerManager.running,
  });
}

/** What the canvas reads of the control plane, as plain lists (the canvas keeps the identities of unchanged parts). */
export interface ControlPlaneReport {
  components: ComponentReport[];
  machines: MachineReport[];
  /** The load balancer in front of several apiservers (src/sim/apiserver/load-balancer.ts); null with one apiserver. */
  balancer: { address: string; backends: Array<{ name: string; up: boolean; check: string; connections: number }> } | null;
  /** The scenario has a cloud (spec.cloud). */
  cloud: boolean;
}

function controlPlaneReport(c: Cluster): ControlPlaneReport {
  const components = c.components().map((r): ComponentReport => ({ name: r.name, state: r.state, ...(r.host !== undefined ? { host: r.host } : {}), ...(r.leader !== undefined ? { leader: r.leader } : {}) }));
  const machines = c.controlPlaneNodes().map((m): MachineReport => ({ name: m.name, powered: m.powered }));
  const lb = c.apiserver.loadBalancerView();
  const balancer = lb ? { address: lb.address, backends: lb.backends.map((b) => ({ name: b.name, up: b.up, check: b.check, connections: b.connections })) } : null;
  return { components, machines, balancer, cloud: c.scenario.cloud !== undefined };
}
