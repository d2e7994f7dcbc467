// What the inspector shows, computed from the simulation as plain data: for
// an object, what `kubectl describe` and `kubectl get -o yaml` would tell
// (status, conditions, owners, events, YAML); for a component, its
// statechart's state, what it exposes about its work, its settings (the
// flags upstream would take) and its recent wire messages. Pure functions of
// the cluster at one instant: the panels call them when the revision, the
// wire or the selection moved, never on a tick that changed nothing.
import { DEFAULT_TOLERATION_SECONDS } from '../../sim/api/admission';
import { resourceForKind, RESOURCES, storageKey, type Event, type KubeObject, type Node, type Pod, type Service } from '../../sim/api/types';
import { DEFAULT_EVICTION_RATES } from '../../sim/controllers/node-lifecycle';
import { MEMORY_AVAILABLE_THRESHOLD } from '../../sim/node/eviction-helpers';
import { DEFAULT_QUEUE } from '../../sim/scheduler/queue';
import type { Cluster } from '../../sim/cluster';
import { formatDuration } from '../../sim/kernel/duration';
import { virtualMs } from '../../sim/kernel/time';
import type { WireMessage } from '../../sim/kernel/trace';
import { objectYaml } from '../../scenario/object-yaml';
import { formatInstant } from '../format-clock';
import type { Selection } from './cluster-store';
import {
  apiserverReplicaFacts,
  candidatesList,
  CCM_LEASE,
  cloudControllerManagerInspection,
  leaderElectionFacts,
  leaderElectionSettings,
  loadBalancerInspection,
  LOAD_BALANCER_COMPONENT,
  machineFact,
  type ElectedProcess,
} from './control-plane-views';
import { eventRows, eventsAbout, storedEvents, type EventRow } from './events-view';
import { objectKey, objectRow, type RowTone } from './object-rows';
import { podTokenPhase } from './worker-views';

/** How many wire messages the inspector lists for a component. */
export const COMPONENT_MESSAGES = 30;

/** One line of a details list; `select` makes it a link to another object or component. */
export interface Fact {
  label: string;
  value: string;
  tone?: RowTone;
  select?: Selection;
}

/** A status condition as `kubectl describe` tabulates it. */
export interface ConditionRow {
  type: string;
  status: string;
  reason: string;
  message: string;
  /** lastTransitionTime in virtual ms; undefined when the condition has none. */
  since?: number;
}

/** An owner or an owned object; `exists` is false when the reference points at nothing stored (yet, or any more). */
export interface ObjectLink {
  key: string;
  kind: string;
  namespace: string;
  name: string;
  exists: boolean;
  /** ownerReferences[].controller: the managing owner. */
  controller: boolean;
}

export interface ObjectInspection {
  key: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  /** The word kubectl get would show (object-rows.ts), with its tone. */
  status: string;
  tone: RowTone;
  /** creationTimestamp in virtual ms. */
  created?: number;
  facts: Fact[];
  labels: string[];
  conditions: ConditionRow[];
  owners: ObjectLink[];
  owned: ObjectLink[];
  /** Its events, oldest first, as kubectl describe lists them. */
  events: EventRow[];
  yaml: string;
}

/** kube-apiserver, kube-scheduler and kube-controller-manager include their replicas (kube-scheduler-2); load-balancer is the one in front of the apiservers. */
export type ComponentKind = 'etcd' | 'kube-apiserver' | 'kube-scheduler' | 'kube-controller-manager' | 'cloud-controller-manager' | 'load-balancer' | 'kubelet';

/** A titled list inside a component's view (the controllers it runs, the pods it holds). */
export interface FactList {
  title: string;
  empty: string;
  items: Array<{ label: string; detail?: string; tone?: RowTone; select?: Selection }>;
}

/** A setting as upstream names its flag or config field. */
export interface Setting {
  name: string;
  value: string;
  /** A list setting's entries (the profile's plugins), shown one by one. */
  items?: string[];
  note?: string;
}

export interface ComponentInspection {
  name: string;
  kind: ComponentKind;
  /** What the component is in Kubernetes, in one line. */
  about: string;
  /** The statechart's current state ("leader", "running", "filter", "stopped", ...). */
  state: string;
  tone: RowTone | 'leader' | 'standby';
  facts: Fact[];
  lists: FactList[];
  settings: Setting[];
  /** A replica's control-plane machine, in a highly available control plane (it can be powered off and on by itself). */
  machine?: string;
}

// ---------------------------------------------------------------- objects

/** Splits an object-rows key ("Pod/default/web-1", "Node//node-1"). */
export function parseObjectKey(key: string): { kind: string; namespace: string; name: string } {
  const a = key.indexOf('/');
  const b = key.indexOf('/', a + 1);
  return { kind: key.slice(0, a), namespace: key.slice(a + 1, b), name: key.slice(b + 1) };
}

const objectSelection = (key: string): Selection => ({ type: 'object', key });

function ms(ts: string | null | undefined): number | undefined {
  if (!ts) return undefined;
  const v = virtualMs(ts);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Where the inspector reads objects: straight from etcd's buckets, as the
 * apiserver stores them (no request, so reading shows nothing on the wire),
 * without listing and sorting the whole cluster.
 */
export interface ObjectSource {
  get(kind: string, namespace: string, name: string): KubeObject | undefined;
  /** Every stored object, in no particular order. */
  all(): Iterable<KubeObject>;
  events(): Iterable<Event>;
}

export function clusterSource(cluster: Cluster): ObjectSource {
  const store = cluster.etcd.store;
  return {
    get: (kind, namespace, name) => {
      const info = resourceForKind(kind);
      return info ? (store.get(storageKey(info, namespace, name))?.value as KubeObject | undefined) : undefined;
    },
    *all() {
      for (const r of RESOURCES) for (const kv of store.range(`/registry/${r.resource}/`)) yield kv.value as KubeObject;
    },
    events: () => storedEvents(cluster),
  };
}

const byKey = (a: ObjectLink, b: ObjectLink) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The inspector's view of the object stored under `key`, or null when there
 * is none (it was deleted). `events` may be given when already computed
 * (eventRows of the stored Events, oldest first).
 */
export function inspectObject(source: ObjectSource, key: string, events?: readonly EventRow[]): ObjectInspection | null {
  const { kind, namespace, name } = parseObjectKey(key);
  const o = source.get(kind, namespace, name);
  if (!o) return null;
  const m = o.metadata;
  const uid = m.uid ?? '';
  const row = objectRow(o, key);

  const owners = (m.ownerReferences ?? []).map((r): ObjectLink => {
    const ns = resourceForKind(r.kind)?.namespaced === false ? '' : (m.namespace ?? '');
    const stored = source.get(r.kind, ns, r.name);
    return { key: `${r.kind}/${ns}/${r.name}`, kind: r.kind, namespace: ns, name: r.name, exists: stored?.metadata.uid === r.uid, controller: r.controller === true };
  });
  // Dependents, as the garbage collector finds them: any object whose ownerReferences name this uid.
  const owned: ObjectLink[] = [];
  if (uid) {
    for (const x of source.all()) {
      const ref = (x.metadata.ownerReferences ?? []).find((r) => r.uid === uid);
      if (ref) owned.push({ key: objectKey(x), kind: x.kind, namespace: x.metadata.namespace ?? '', name: x.metadata.name ?? '', exists: true, controller: ref.controller === true });
    }
    owned.sort(byKey);
  }
  const allEvents = events ?? eventRows(source.events());
  return {
    key,
    kind: o.kind,
    namespace: m.namespace ?? '',
    name: m.name ?? '',
    uid,
    status: row.status,
    tone: row.tone,
    created: ms(m.creationTimestamp),
    facts: factsOf(o),
    labels: Object.entries(m.labels ?? {}).map(([k, v]) => (v ? `${k}=${v}` : k)),
    conditions: conditionsOf(o),
    owners,
    owned,
    events: o.kind === 'Event' ? [] : eventsAbout(allEvents, { kind: o.kind, namespace: m.namespace, name: m.name ?? '', uid: m.uid }),
    yaml: objectYaml(o),
  };
}

interface RawCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** status.conditions in the object's own order, as kubectl describe prints them. */
function conditionsOf(o: KubeObject): ConditionRow[] {
  const list = (o.status as { conditions?: RawCondition[] } | undefined)?.conditions;
  if (!Array.isArray(list)) return [];
  return list.map((c) => ({ type: c.type ?? '', status: c.status ?? '', reason: c.reason ?? '', message: c.message ?? '', since: ms(c.lastTransitionTime) }));
}

function factsOf(o: KubeObject): Fact[] {
  switch (o.kind) {
    case 'Pod':
      return podFacts(o as unknown as Pod);
    case 'Node':
      return nodeFacts(o as unknown as Node);
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      return workloadFacts(o);
    case 'Service':
      return serviceFacts(o);
    default:
      return [];
  }
}

function podFacts(p: Pod): Fact[] {
  const facts: Fact[] = [];
  const node = p.spec?.nodeName;
  facts.push(node ? { label: 'Node', value: node, select: objectSelection(`Node//${node}`) } : { label: 'Node', value: '<none> (not scheduled)', tone: 'warn' });
  facts.push({ label: 'Status', value: podTokenPhase(p) });
  if (p.status?.podIP) facts.push({ label: 'IP', value: p.status.podIP });
  const statuses = p.status?.containerStatuses ?? [];
  for (const c of p.spec?.containers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    const state = s?.state?.running ? 'Running' : s?.state?.waiting ? (s.state.waiting.reason ?? 'Waiting') : s?.state?.terminated ? (s.state.terminated.reason ?? 'Terminated') : 'Waiting';
    const restarts = s?.restartCount ? `, ${s.restartCount} restart${s.restartCount === 1 ? '' : 's'}` : '';
    facts.push({ label: `Container ${c.name}`, value: `${c.image ?? ''} · ${state}${restarts}`, tone: s?.ready ? 'ok' : 'warn' });
  }
  if (p.status?.qosClass) facts.push({ label: 'QoS Class', value: p.status.qosClass });
  if (p.spec?.priorityClassName) facts.push({ label: 'Priority Class', value: p.spec.priorityClassName });
  return facts;
}

function nodeFacts(n: Node): Fact[] {
  const name = n.metadata?.name ?? '';
  const facts: Fact[] = [{ label: 'Kubelet', value: `kubelet/${name}`, select: { type: 'component', name: `kubelet/${name}` } }];
  const zone = n.metadata?.labels?.['topology.kubernetes.io/zone'];
  if (zone) facts.push({ label: 'Zone', value: zone });
  const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (ip) facts.push({ label: 'InternalIP', value: ip });
  const cap = n.status?.capacity ?? {};
  const alloc = n.status?.allocatable ?? cap;
  facts.push({ label: 'Allocatable', value: `cpu ${alloc.cpu ?? '?'} · memory ${alloc.memory ?? '?'} · pods ${alloc.pods ?? '?'}` });
  facts.push({ label: 'Unschedulable', value: n.spec?.unschedulable ? 'true' : 'false', tone: n.spec?.unschedulable ? 'warn' : undefined });
  const taints = (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  facts.push({ label: 'Taints', value: taints.length ? taints.join(', ') : '<none>', tone: taints.length ? 'warn' : undefined });
  if (n.spec?.podCIDR) facts.push({ label: 'PodCIDR', value: n.spec.podCIDR });
  return facts;
}

function workloadFacts(o: KubeObject): Fact[] {
  const spec = (o.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> }; strategy?: { type?: string } };
  const st = (o.status ?? {}) as { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number; desiredNumberScheduled?: number; numberReady?: number };
  const facts: Fact[] = [];
  if (o.kind === 'DaemonSet') {
    facts.push({ label: 'Pods', value: `${st.numberReady ?? 0} ready of ${st.desiredNumberScheduled ?? 0} desired` });
  } else {
    const want = spec.replicas ?? 1;
    // As kubectl describe deployment: "3 desired | 3 updated | 3 total | 3 available | 0 unavailable".
    const parts = [`${want} desired`];
    if (o.kind === 'Deployment') parts.push(`${st.updatedReplicas ?? 0} updated`);
    parts.push(`${st.replicas ?? 0} total`, `${st.readyReplicas ?? 0} ready`, `${st.availableReplicas ?? 0} available`);
    facts.push({ label: 'Replicas', value: parts.join(' | '), tone: (st.readyReplicas ?? 0) >= want ? 'ok' : 'warn' });
  }
  const sel = Object.entries(spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (sel.length) facts.push({ label: 'Selector', value: sel.join(',') });
  if (spec.strategy?.type) facts.push({ label: 'Strategy', value: spec.strategy.type });
  return facts;
}

function serviceFacts(o: KubeObject): Fact[] {
  const spec = (o.spec ?? {}) as { type?: string; clusterIP?: string; selector?: Record<string, string>; ports?: Array<{ port: number; targetPort?: number | string; protocol?: string }> };
  const ports = (spec.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'} → ${p.targetPort ?? p.port}`);
  return [
    { label: 'Type', value: spec.type ?? 'ClusterIP' },
    { label: 'IP', value: spec.clusterIP === 'None' ? 'None (headless: its DNS name answers with the pods)' : (spec.clusterIP ?? '<none>') },
    ...(spec.type === 'LoadBalancer' ? [{ label: 'External IP', value: (o as Service).status?.loadBalancer?.ingress?.[0]?.ip ?? '<pending>' }] : []),
    { label: 'Ports', value: ports.join(', ') || '<none>' },
    { label: 'Selector', value: Object.entries(spec.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>' },
  ];
}

// ---------------------------------------------------------------- components

/**
 * The kind of a component name: etcd-N, the three control-plane processes
 * (with one machine) or their replicas (kube-scheduler-2: one per machine),
 * cloud-controller-manager, the apiservers' load balancer, kubelet/<node>.
 */
export function componentKind(name: string): ComponentKind | null {
  if (/^etcd-\d+$/.test(name)) return 'etcd';
  const process = /^(kube-apiserver|kube-scheduler|kube-controller-manager)(-\d+)?$/.exec(name);
  if (process) return process[1] as ComponentKind;
  if (name === CCM_LEASE) return 'cloud-controller-manager';
  if (name === LOAD_BALANCER_COMPONENT) return 'load-balancer';
  if (name.startsWith('kubelet/')) return 'kubelet';
  return null;
}

const d = formatDuration;

/** The inspector's view of a component, or null for a name the cluster does not have. */
export function inspectComponent(cluster: Cluster, name: string): ComponentInspection | null {
  const kind = componentKind(name);
  if (!kind) return null;
  switch (kind) {
    case 'etcd':
      return etcdView(cluster, name);
    case 'kube-apiserver':
      return apiserverView(cluster, name);
    case 'kube-scheduler':
      return schedulerView(cluster, name);
    case 'kube-controller-manager':
      return controllerManagerView(cluster, name);
    case 'cloud-controller-manager':
      return cloudControllerManagerInspection(cluster);
    case 'load-balancer':
      return loadBalancerInspection(cluster);
    case 'kubelet':
      return kubeletView(cluster, name.slice('kubelet/'.length));
  }
}

function etcdView(cluster: Cluster, name: string): ComponentInspection | null {
  const members = cluster.etcdMembers();
  const m = members.find((x) => x.name === name);
  if (!m) return null;
  const up = members.filter((x) => x.role !== 'stopped').length;
  // Raft needs a majority: floor(n/2)+1 of the members.
  const quorum = Math.floor(members.length / 2) + 1;
  const s = cluster.scenario.settings;
  return {
    name,
    kind: 'etcd',
    about: 'etcd member: a raft peer holding a copy of the cluster state; only kube-apiserver talks to it.',
    state: m.role,
    tone: m.role === 'leader' ? 'leader' : m.role === 'stopped' ? 'bad' : m.role === 'candidate' ? 'warn' : 'ok',
    facts: [
      { label: 'Role', value: m.role },
      { label: 'Term', value: String(m.term) },
      { label: 'Leader', value: m.leader ?? '<none>', tone: m.leader ? undefined : 'bad', ...(m.leader ? { select: { type: 'component', name: m.leader } as Selection } : {}) },
      { label: 'Commit index', value: `${m.commitIndex} of ${m.lastIndex} in its log` },
      { label: 'Quorum', value: `${up} of ${members.length} members up, ${quorum} needed`, tone: up >= quorum ? 'ok' : 'bad' },
      { label: 'Store revision', value: String(cluster.revision) },
    ],
    lists: [
      {
        title: 'Members',
        empty: '',
        items: members.map((x) => ({ label: x.name, detail: `${x.role} · term ${x.term} · commit ${x.commitIndex}`, tone: x.role === 'stopped' ? 'bad' : 'ok', select: { type: 'component', name: x.name } as Selection })),
      },
    ],
    settings: [
      { name: '--heartbeat-interval', value: d(s.etcdHeartbeatInterval), note: 'the leader beats this often' },
      { name: '--election-timeout', value: d(s.etcdElectionTimeout), note: 'a follower that hears nothing for this long (randomized up to 2x) stands for election' },
      { name: 'peer latency', value: d(s.etcdPeerLatency), note: 'one way, between members (simulated network)' },
    ],
  };
}

function apiserverView(cluster: Cluster, name: string): ComponentInspection | null {
  const replicas = cluster.apiserver.replicas;
  const replica = replicas.find((r) => r.name === name);
  if (!replica) return null;
  const state = String(replica.actor.getSnapshot().value);
  const s = cluster.scenario.settings;
  const leader = cluster.etcdMembers().find((m) => m.role === 'leader');
  const ha = replicas.length > 1;
  const backends = new Map((cluster.apiserver.loadBalancerView()?.backends ?? []).map((b) => [b.name, b]));
  return {
    name,
    kind: 'kube-apiserver',
    about: ha
      ? `kube-apiserver on ${replica.host}: one of ${replicas.length} replicas over the one etcd, all serving at once behind the load balancer. Admission, validation and storage for every write; watches for every reader.`
      : 'kube-apiserver: the only door to etcd. Admission, validation and storage for every write; watches for every reader.',
    state,
    tone: state === 'running' ? 'ok' : 'bad',
    ...(ha ? { machine: replica.host } : {}),
    facts: [
      ...(ha ? apiserverReplicaFacts(cluster, name) : []),
      { label: 'etcd revision', value: String(cluster.revision) },
      { label: 'etcd leader', value: leader?.name ?? '<none>', tone: leader ? undefined : 'bad', ...(leader ? { select: { type: 'component', name: leader.name } as Selection } : {}) },
      { label: 'Objects stored', value: String(RESOURCE_PREFIXES.reduce((n, p) => n + cluster.etcd.store.countRange(p), 0)) },
    ],
    lists: ha
      ? [
          {
            title: 'Replicas',
            empty: '',
            items: replicas.map((r) => {
              const b = backends.get(r.name);
              return {
                label: r.name,
                detail: `${r.running ? 'running' : 'stopped'}${b ? ` · LB ${b.check}` : ''}`,
                tone: r.running ? ('ok' as const) : ('bad' as const),
                select: { type: 'component', name: r.name } as Selection,
              };
            }),
          },
        ]
      : [],
    settings: [
      ...(ha ? [{ name: '--advertise-address', value: replica.address.replace(/:\d+$/, ''), note: `its own address; clients use the control-plane endpoint ${cluster.apiserver.loadBalancerView()?.address ?? ''}` }] : []),
      { name: '--etcd-compaction-interval', value: d(s.etcdCompactionInterval), note: ha ? 'older revisions are compacted (one compaction per interval between the replicas); a watch from before gets 410 Gone' : 'older revisions are compacted; a watch from before gets 410 Gone' },
      { name: 'watch bookmark interval', value: d(s.watchBookmarkInterval), note: 'BOOKMARK events keep watchers’ resourceVersion fresh' },
      { name: 'watch delay', value: d(s.watchDelay), note: 'from commit to a watcher (simulated)' },
    ],
  };
}

const RESOURCE_PREFIXES = RESOURCES.map((r) => `/registry/${r.resource}/`);

/** Upstream's queue names for the scheduler's internal queues. */
const QUEUE_NAMES: Record<string, string> = { activeQ: 'activeQ', backoffQ: 'backoffQ', unschedulable: 'unschedulablePods', gated: 'gated (schedulingGates)' };

const elected = (p: { name: string; host: string; identity: string; running: boolean; leading: boolean }): ElectedProcess => ({
  name: p.name,
  host: p.host,
  identity: p.identity,
  running: p.running,
  leading: p.leading,
});

function schedulerView(cluster: Cluster, name: string): ComponentInspection | null {
  const sch = cluster.schedulers.find((x) => x.name === name);
  if (!sch) return null;
  const running = sch.running;
  const leading = sch.leading;
  const ha = cluster.schedulers.length > 1;
  const processes = cluster.schedulers.map(elected);
  const profile = cluster.scenario.schedulerProfile;
  // A standby's queue fills too: upstream starts the informers (and so the queue's event handlers) before the election.
  const pending = running ? sch.pending() : [];
  const last = sch.lastCycle;
  const counts = new Map<string, number>();
  for (const p of pending) counts.set(p.queue, (counts.get(p.queue) ?? 0) + 1);
  const facts: Fact[] = [
    { label: 'Extension point', value: !running ? 'stopped' : leading ? sch.point : 'none: a standby runs no scheduling cycle' },
    { label: 'Pending', value: `${pending.length} pod${pending.length === 1 ? '' : 's'}${pending.length ? ` (${[...counts].map(([q, n]) => `${QUEUE_NAMES[q] ?? q} ${n}`).join(', ')})` : ''}`, tone: pending.length ? 'warn' : undefined },
  ];
  if (last) {
    const pod: Selection = { type: 'object', key: `Pod/${last.pod}` };
    facts.push({
      label: 'Last cycle',
      value: `${last.pod} → ${last.node ?? 'unschedulable'} at ${formatInstant(last.at)} (${last.feasibleNodes} of ${last.evaluatedNodes} nodes feasible)`,
      tone: last.node ? 'ok' : 'warn',
      select: pod,
    });
    if (!last.node && last.message) facts.push({ label: 'Why', value: last.message, tone: 'warn' });
  }
  facts.push(machineFact(cluster, sch.host), ...leaderElectionFacts(cluster, 'kube-scheduler', elected(sch), processes));
  const weights = profile.weights;
  return {
    name,
    kind: 'kube-scheduler',
    about: ha
      ? `kube-scheduler on ${sch.host}: one of ${cluster.schedulers.length} replicas; the one holding the Lease kube-system/kube-scheduler watches unscheduled pods and binds each to a node, through the extension points of its framework.`
      : 'kube-scheduler: watches unscheduled pods and binds each to a node, through the extension points of its framework.',
    state: !running ? 'stopped' : leading ? sch.point : 'standby',
    // The leader of several wears the leader's colour, as on the canvas.
    tone: !running ? 'bad' : leading ? (ha ? 'leader' : 'ok') : 'standby',
    ...(ha ? { machine: sch.host } : {}),
    facts,
    lists: [
      {
        title: 'Pending pods',
        empty: 'No pod waits: every pod is bound.',
        items: pending.slice(0, 50).map((p) => {
          const key = `${p.info.pod.metadata?.namespace ?? ''}/${p.info.pod.metadata?.name ?? ''}`;
          return { label: key, detail: QUEUE_NAMES[p.queue] ?? p.queue, tone: 'warn' as const, select: { type: 'object', key: `Pod/${key}` } as Selection };
        }),
      },
      ...(ha ? [candidatesList(processes)] : []),
    ],
    settings: [
      { name: 'schedulerName', value: profile.schedulerName },
      {
        name: 'plugins',
        value: `${profile.plugins.length} enabled`,
        items: profile.plugins.map((p) => (weights[p] !== undefined ? `${p} (${weights[p]})` : p)),
        note: 'in order; score weights in brackets',
      },
      ...Object.entries(profile.disabled)
        .filter(([, list]) => list && list.length > 0)
        .map(([point, list]) => ({ name: `disabled at ${point}`, value: (list ?? []).join(', ') })),
      {
        name: 'percentageOfNodesToScore',
        value: profile.percentageOfNodesToScore === 0 ? '0 (adaptive)' : String(profile.percentageOfNodesToScore),
        note: profile.percentageOfNodesToScore === 0 ? 'all nodes below 100; else max(50 - nodes/125, 5)%, at least 100 nodes' : undefined,
      },
      { name: 'podInitialBackoffSeconds', value: String(DEFAULT_QUEUE.initialBackoff / 1000), note: `doubling up to podMaxBackoffSeconds ${DEFAULT_QUEUE.maxBackoff / 1000}` },
      // kube-scheduler gives the Lease up when stopped gracefully (ReleaseOnCancel), so a successor need not wait.
      ...leaderElectionSettings('kube-scheduler').map((x) => (x.name === '--leader-elect' ? { ...x, note: `${x.note}; a graceful stop gives the Lease up (ReleaseOnCancel)` } : x)),
    ],
  };
}

function controllerManagerView(cluster: Cluster, name: string): ComponentInspection | null {
  const kcm = cluster.controllerManagers.find((x) => x.name === name);
  if (!kcm) return null;
  const running = kcm.running;
  const leading = kcm.leading;
  const ha = cluster.controllerManagers.length > 1;
  const processes = cluster.controllerManagers.map(elected);
  const s = cluster.scenario.settings;
  const controllers = kcm.controllers();
  return {
    name,
    kind: 'kube-controller-manager',
    about: ha
      ? `kube-controller-manager on ${kcm.host}: one of ${cluster.controllerManagers.length} replicas; the one holding the Lease kube-system/kube-controller-manager runs the control loops, each watching through shared informers and writing through the apiserver.`
      : 'kube-controller-manager: one process running the control loops, each watching through shared informers and writing through the apiserver.',
    state: !running ? 'stopped' : leading ? 'running' : 'standby',
    // The leader of several wears the leader's colour, as on the canvas.
    tone: !running ? 'bad' : leading ? (ha ? 'leader' : 'ok') : 'standby',
    ...(ha ? { machine: kcm.host } : {}),
    facts: [
      { label: 'Controllers', value: !running ? 'none (process stopped)' : leading ? `${controllers.length} running` : 'none until it holds the Lease', tone: running ? undefined : 'bad' },
      machineFact(cluster, kcm.host),
      ...leaderElectionFacts(cluster, 'kube-controller-manager', elected(kcm), processes),
    ],
    lists: [
      { title: 'Controllers', empty: running ? 'None: a standby runs no controllers.' : 'None: the process is stopped.', items: controllers.map((c) => ({ label: c.name, tone: 'ok' as const })) },
      ...(ha ? [candidatesList(processes)] : []),
    ],
    settings: [
      { name: '--node-monitor-grace-period', value: d(s.nodeMonitorGracePeriod), note: 'a node silent this long gets Ready=Unknown (upstream default 50s since v1.32, 40s before)' },
      { name: '--node-monitor-period', value: d(s.nodeMonitorPeriod), note: 'how often the node lifecycle controller looks' },
      { name: '--node-startup-grace-period', value: d(s.nodeStartupGracePeriod), note: 'a new node’s time to become Ready' },
      { name: '--node-eviction-rate', value: String(DEFAULT_EVICTION_RATES.evictionLimiterQPS), note: 'nodes per second whose pods are evicted' },
      {
        name: '--unhealthy-zone-threshold',
        value: String(DEFAULT_EVICTION_RATES.unhealthyZoneThreshold),
        note: `past it a zone evicts at --secondary-node-eviction-rate ${DEFAULT_EVICTION_RATES.secondaryEvictionLimiterQPS}, or not at all in a zone of --large-cluster-size-threshold ${DEFAULT_EVICTION_RATES.largeClusterThreshold} nodes or fewer`,
      },
      { name: 'default toleration seconds', value: String(DEFAULT_TOLERATION_SECONDS), note: 'kube-apiserver’s DefaultTolerationSeconds: pods stay this long on a not-ready or unreachable node' },
      // No ReleaseOnCancel: a stopped kube-controller-manager leaves its Lease to expire.
      ...leaderElectionSettings('kube-controller-manager').map((x) => (x.name === '--leader-elect' ? { ...x, note: `${x.note}; a stopped one leaves its Lease to expire (no ReleaseOnCancel)` } : x)),
    ],
  };
}

function kubeletView(cluster: Cluster, node: string): ComponentInspection | null {
  const agents = cluster.nodes.view(node);
  if (!agents) return null;
  const machine = cluster.machine(node);
  const nodeObj = clusterSource(cluster).get('Node', '', node) as unknown as Node | undefined;
  const ready = nodeObj?.status?.conditions?.find((c) => c.type === 'Ready');
  const readyWord = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  const s = cluster.scenario.settings;
  const machineWords = [machine.powered ? 'powered on' : 'powered off', machine.partitioned ? 'network cut' : 'network up', machine.memoryPressure ? 'memory filled' : ''].filter(Boolean).join(' · ');
  const state = agents.kubelet;
  return {
    name: `kubelet/${node}`,
    kind: 'kubelet',
    about: `kubelet on ${node}: registers the node, renews its Lease, reports its status and runs the pods bound to it.`,
    state,
    tone: state === 'running' ? (machine.partitioned ? 'warn' : 'ok') : 'bad',
    facts: [
      { label: 'Node', value: node, select: { type: 'object', key: `Node//${node}` } },
      {
        label: 'Ready condition',
        value: ready ? `${readyWord}${ready.reason ? ` (${ready.reason})` : ''}` : 'not reported',
        tone: readyWord === 'Ready' ? 'ok' : readyWord === 'NotReady' ? 'bad' : 'warn',
      },
      { label: 'Machine', value: machineWords, tone: machine.powered && !machine.partitioned && !machine.memoryPressure ? 'ok' : 'bad' },
      { label: 'kube-proxy', value: agents.kubeProxy, tone: agents.kubeProxy === 'running' ? 'ok' : 'bad' },
      { label: 'Pod CIDR', value: agents.podCIDR },
      { label: 'Images', value: agents.images.map((i) => i.name).join(', ') || '<none>' },
      ...(agents.pulls.length ? [{ label: 'Pulling', value: agents.pulls.map((p) => p.ref).join(', ') }] : []),
    ],
    lists: [
      {
        title: 'Pods it runs',
        empty: 'No pods bound to this node.',
        items: agents.pods.map((p) => ({
          label: p.key,
          detail: `${p.phase} · ${p.activity}`,
          tone: p.phase === 'Running' || p.phase === 'Succeeded' ? ('ok' as const) : p.phase === 'Failed' ? ('bad' as const) : ('warn' as const),
          select: { type: 'object', key: `Pod/${p.key}` } as Selection,
        })),
      },
    ],
    settings: [
      { name: 'nodeStatusUpdateFrequency', value: d(s.nodeStatusUpdateFrequency), note: 'how often it posts the Node’s status' },
      { name: 'nodeLeaseDurationSeconds', value: String(s.nodeLeaseDuration / 1000), note: `its Lease is renewed every quarter of it (${d(s.nodeLeaseDuration / 4)})` },
      { name: 'evictionHard memory.available', value: `<${MEMORY_AVAILABLE_THRESHOLD}`, note: 'below it the kubelet evicts pods (MemoryPressure)' },
    ],
  };
}

/**
 * The newest `limit` wire messages sent or received by the component, newest
 * first. `trace` is oldest first, as cluster.trace() returns it; the scan
 * stops as soon as it has enough.
 */
export function componentMessages(trace: readonly WireMessage[], name: string, limit = COMPONENT_MESSAGES): WireMessage[] {
  const out: WireMessage[] = [];
  for (let i = trace.length - 1; i >= 0 && out.length < limit; i--) {
    const m = trace[i];
    if (m.from === name || m.to === name) out.push(m);
  }
  return out;
}
