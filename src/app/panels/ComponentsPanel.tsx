// The left "Control plane" panel: every control-plane component with its
// state, each row opening it in the inspector. With one control-plane
// machine (the default): kube-apiserver, kube-scheduler,
// kube-controller-manager and the etcd members, as always. With several (a
// highly available control plane, as kubeadm's stacked topology lays it
// out): one group per machine with its power state, holding its etcd member
// and its kube-apiserver-i, kube-scheduler-i and kube-controller-manager-i,
// the leader of each leader-elected kind marked and the others as standbys;
// then the load balancer in front of the apiservers. cloud-controller-manager
// comes last when the scenario has a cloud. The replicas are read as the
// canvas reads them (canvas/use-control-plane.ts: one snapshot per store
// change, each row's report kept while unchanged), so a tick that changes
// nothing re-renders no row.
import { memo, type ReactNode } from 'react';
import { CLOUD_CONTROLLER_MANAGER, replicaStatus, type ControlPlaneMachineShape } from '../canvas/control-plane-model';
import { useBalancer, useBackend, useComponentReport, useControlPlaneLayout, useControlPlaneMachine } from '../canvas/use-control-plane';
import type { EtcdMemberView } from '../../sim/etcd/etcd-cluster';
import type { ClusterViewState, SchedulerView } from '../store/cluster-store';
import { LOAD_BALANCER_COMPONENT } from '../store/control-plane-views';
import { useClusterStore } from '../store/store-context';
import { selectApiserver, selectControllerManager, selectEtcd, selectScheduler } from '../store/selectors';
import { useSelectable } from './InspectorHooks';
import { Panel } from './Panel';

export function ComponentsPanel() {
  const etcd = useClusterStore(selectEtcd);
  const { shape } = useControlPlaneLayout();
  const leader = etcd.find((m) => m.role === 'leader');
  return (
    <Panel title="Control plane" testId="components-panel" className="components-panel" count={leader ? `term ${leader.term}` : 'no leader'}>
      <ul className="component-list" data-layout={shape ? 'machines' : 'single'}>
        {shape ? (
          <>
            {shape.map((m) => (
              <MachineGroup key={m.name} machine={m} etcd={etcd} />
            ))}
            <LoadBalancerRow />
          </>
        ) : (
          <SingleControlPlane etcd={etcd} />
        )}
        <CloudControllerManagerRow />
      </ul>
    </Panel>
  );
}

// ------------------------------------------------------------ one machine

/** One control-plane machine: the store's views of its three processes, then the etcd members. */
function SingleControlPlane({ etcd }: { etcd: readonly EtcdMemberView[] }) {
  const apiserver = useClusterStore(selectApiserver);
  const scheduler = useClusterStore(selectScheduler);
  const kcm = useClusterStore(selectControllerManager);
  return (
    <>
      <ComponentRow name="kube-apiserver" state={apiserver}>
        <span className={`dot ${apiserver === 'running' ? 'ok' : 'bad'}`} aria-hidden="true" />
        <ComponentName name="kube-apiserver" />
        <span className={`badge ${apiserver === 'running' ? 'badge-ok' : 'badge-bad'}`}>{apiserver}</span>
      </ComponentRow>
      <SchedulerRow view={scheduler} />
      <ComponentRow name="kube-controller-manager" state={kcm.state}>
        <span className={`dot ${kcm.state === 'running' ? 'ok' : 'bad'}`} aria-hidden="true" />
        <ComponentName name="kube-controller-manager" />
        <span className={`badge ${kcm.state === 'running' ? 'badge-ok' : 'badge-bad'}`}>{kcm.state}</span>
        <span className="component-meta">
          <b>{kcm.controllers}</b> controllers
        </span>
      </ComponentRow>
      {etcd.map((m) => (
        <EtcdMember key={m.name} member={m} />
      ))}
    </>
  );
}

const SchedulerRow = memo(function SchedulerRow({ view }: { view: SchedulerView }) {
  const up = view.state !== 'stopped';
  return (
    <ComponentRow name="kube-scheduler" state={view.state}>
      <span className={`dot ${up ? 'ok' : 'bad'}`} aria-hidden="true" />
      <ComponentName name="kube-scheduler" />
      <span className={`badge ${up ? 'badge-ok' : 'badge-bad'}`}>{up ? 'running' : 'stopped'}</span>
      <SchedulerSummary view={view} />
    </ComponentRow>
  );
});

/** What the scheduler holds and did last: "2 pending · default/web-1 → node-2". */
function SchedulerSummary({ view }: { view: SchedulerView }) {
  const last = view.last;
  return (
    <span className="component-meta" data-testid="scheduler-summary" title={last?.message}>
      <b>{view.pending}</b> pending
      {last && (last.node ? <> · {last.pod} → <b>{last.node}</b></> : <> · {last.pod} unschedulable</>)}
    </span>
  );
}

const EtcdMember = memo(function EtcdMember({ member: m }: { member: EtcdMemberView }) {
  const tone = m.role === 'leader' ? 'leader' : m.role === 'stopped' ? 'bad' : m.role === 'candidate' ? 'warn' : 'ok';
  return (
    <ComponentRow name={m.name} attrs={{ 'data-role': m.role, 'data-term': m.term }}>
      <span className={`dot ${tone}`} aria-hidden="true" />
      <ComponentName name={m.name} />
      <span className={`badge badge-${tone}`}>
        {m.role === 'leader' && LEADER_STAR}
        {m.role}
      </span>
      <span className="component-meta">
        term <b>{m.term}</b> · commit <b>{m.commitIndex}</b>/{m.lastIndex}
      </span>
    </ComponentRow>
  );
});

const LEADER_STAR = (
  <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
    <path d="M8 1.5l2 4.3 4.6.5-3.4 3.1 1 4.6L8 11.6 3.8 14l1-4.6L1.4 6.3 6 5.8z" fill="currentColor" />
  </svg>
);

// ------------------------------------------------- several machines (HA)

/** A control-plane machine's group: its name and power, then what runs on it. */
const MachineGroup = memo(function MachineGroup({ machine, etcd }: { machine: ControlPlaneMachineShape; etcd: readonly EtcdMemberView[] }) {
  const report = useControlPlaneMachine(machine.name);
  const powered = report?.powered !== false;
  return (
    <li className={`component-machine${powered ? '' : ' is-off'}`} data-testid={`component-machine-${machine.name}`} data-powered={powered}>
      <div className="component-machine-head">
        <span className="component-machine-name">{machine.name}</span>
        <span className={`badge ${powered ? 'badge-ok' : 'badge-bad'}`} data-testid="component-machine-power">
          {powered ? 'powered on' : 'powered off'}
        </span>
      </div>
      <ul className="component-list component-machine-list">
        {machine.etcd.map((name) => {
          const m = etcd.find((x) => x.name === name);
          return m ? <EtcdMember key={name} member={m} /> : null;
        })}
        {machine.apiserver && <ApiserverReplicaRow name={machine.apiserver} />}
        {machine.scheduler && <ElectedRow name={machine.scheduler} role="scheduler" />}
        {machine.controllerManager && <ElectedRow name={machine.controllerManager} role="controllerManager" />}
      </ul>
    </li>
  );
});

/** An apiserver replica: its process state and what the load balancer believes of it. */
const ApiserverReplicaRow = memo(function ApiserverReplicaRow({ name }: { name: string }) {
  const report = useComponentReport(name);
  const backend = useBackend(name);
  const state = report?.state ?? 'unknown';
  const running = state === 'running';
  return (
    <ComponentRow name={name} state={state} attrs={{ 'data-host': report?.host ?? '' }}>
      <span className={`dot ${running ? 'ok' : 'bad'}`} aria-hidden="true" />
      <ComponentName name={name} />
      <span className={`badge ${running ? 'badge-ok' : 'badge-bad'}`}>{state}</span>
      <span className="component-meta" data-testid="replica-summary">
        {backend ? (
          <>
            load balancer: <span className={backend.up ? (backend.check === 'UP' ? undefined : 'component-warn') : 'component-bad'}>{backend.check}</span> · <b>{backend.connections}</b>{' '}
            {backend.connections === 1 ? 'client' : 'clients'}
          </>
        ) : running ? (
          'serving'
        ) : (
          'not serving'
        )}
      </span>
    </ComponentRow>
  );
});

const selectSchedulerView = (s: ClusterViewState) => s.scheduler;
const selectControllers = (s: ClusterViewState) => s.controllerManager.controllers;
const selectNone = () => null;

/**
 * A leader-elected replica (kube-scheduler-i, kube-controller-manager-i,
 * cloud-controller-manager): leader, standby or stopped. The store's
 * scheduler and controller-manager views are the leader's (cluster.scheduler,
 * cluster.controllerManager), so only the leader's row reads them.
 */
const ElectedRow = memo(function ElectedRow({ name, role }: { name: string; role: 'scheduler' | 'controllerManager' | 'cloudControllerManager' }) {
  const report = useComponentReport(name);
  const status = replicaStatus(report);
  const leads = status.tone === 'leader';
  const scheduler = useClusterStore(leads && role === 'scheduler' ? selectSchedulerView : selectNone);
  const controllers = useClusterStore(leads && role === 'controllerManager' ? selectControllers : selectNone);
  const badge = status.tone === 'leader' ? 'badge-leader' : status.tone === 'standby' ? 'badge-standby' : status.tone === 'bad' ? 'badge-bad' : 'badge-ok';
  // A standby's or a stopped one's badge says it all: only the leader has a second line, its work.
  let meta: ReactNode = null;
  if (leads && scheduler) meta = <SchedulerSummary view={scheduler} />;
  else if (leads && controllers !== null)
    meta = (
      <span className="component-meta">
        <b>{controllers}</b> controllers
      </span>
    );
  else if (leads) meta = <span className="component-meta">{role === 'cloudControllerManager' ? 'nodes and load balancers' : 'holds the Lease'}</span>;
  return (
    <ComponentRow name={name} state={report?.state ?? 'unknown'} attrs={{ 'data-leader': leads, 'data-host': report?.host ?? '' }}>
      <span className={`dot ${status.tone}`} aria-hidden="true" />
      <ComponentName name={name} />
      <span className={`badge ${badge}`} data-testid="component-badge">
        {leads && LEADER_STAR}
        {status.badge}
      </span>
      {meta}
    </ComponentRow>
  );
});

/** The load balancer in front of the apiservers: how many it believes up, and where clients connect. */
function LoadBalancerRow() {
  const balancer = useBalancer();
  if (!balancer) return null;
  const backends = [...balancer.backends.values()];
  const up = backends.filter((b) => b.up).length;
  const total = backends.length;
  const clients = backends.reduce((n, b) => n + b.connections, 0);
  const tone = up === total ? 'ok' : up === 0 ? 'bad' : 'warn';
  return (
    <ComponentRow name={LOAD_BALANCER_COMPONENT} state={`${up}/${total}`} attrs={{ 'data-up': up, 'data-total': total }}>
      <span className={`dot ${tone}`} aria-hidden="true" />
      <ComponentName name={LOAD_BALANCER_COMPONENT} />
      <span className={`badge badge-${tone}`}>{`${up}/${total} UP`}</span>
      <span className="component-meta">
        {balancer.address} · <b>{clients}</b> {clients === 1 ? 'client' : 'clients'}
      </span>
    </ComponentRow>
  );
}

/** cloud-controller-manager, when the scenario has a cloud (it is leader-elected like the others). */
function CloudControllerManagerRow() {
  const report = useComponentReport(CLOUD_CONTROLLER_MANAGER);
  return report ? <ElectedRow name={CLOUD_CONTROLLER_MANAGER} role="cloudControllerManager" /> : null;
}

// ----------------------------------------------------------------- shared

/** A row that opens its component in the inspector when clicked; ringed while it is the one shown. */
function ComponentRow({ name, state, attrs, children }: { name: string; state?: string; attrs?: Record<`data-${string}`, string | number | boolean>; children: ReactNode }) {
  const { selected, select } = useSelectable('component', name);
  return (
    <li className={selected ? 'component is-selected' : 'component'} data-testid={`component-${name}`} data-state={state} {...attrs} onClick={select}>
      {children}
    </li>
  );
}

/** The component's name as a button: the keyboard's way into the inspector. */
function ComponentName({ name }: { name: string }) {
  const { select } = useSelectable('component', name);
  return (
    <button type="button" className="component-name select-link" onClick={select} title={`Inspect ${name}`}>
      {name}
    </button>
  );
}
