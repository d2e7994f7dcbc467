import { memo, type ReactNode } from 'react';
import type { EtcdMemberView } from '../../sim/etcd/etcd-cluster';
import type { SchedulerView } from '../store/cluster-store';
import { useClusterStore } from '../store/store-context';
import { selectApiserver, selectControllerManager, selectEtcd, selectScheduler } from '../store/selectors';
import { useSelectable } from './InspectorHooks';
import { Panel } from './Panel';

/** The control plane: each etcd member's raft role and term, the apiserver, the scheduler and the controller-manager. */
export function ComponentsPanel() {
  const etcd = useClusterStore(selectEtcd);
  const apiserver = useClusterStore(selectApiserver);
  const scheduler = useClusterStore(selectScheduler);
  const kcm = useClusterStore(selectControllerManager);
  const leader = etcd.find((m) => m.role === 'leader');
  return (
    <Panel title="Control plane" testId="components-panel" count={leader ? `term ${leader.term}` : 'no leader'}>
      <ul className="component-list">
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
      </ul>
    </Panel>
  );
}

const EtcdMember = memo(function EtcdMember({ member: m }: { member: EtcdMemberView }) {
  const tone = m.role === 'leader' ? 'leader' : m.role === 'stopped' ? 'bad' : m.role === 'candidate' ? 'warn' : 'ok';
  return (
    <ComponentRow name={m.name} attrs={{ 'data-role': m.role, 'data-term': m.term }}>
      <span className={`dot ${tone}`} aria-hidden="true" />
      <ComponentName name={m.name} />
      <span className={`badge badge-${tone}`}>
        {m.role === 'leader' && (
          <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
            <path d="M8 1.5l2 4.3 4.6.5-3.4 3.1 1 4.6L8 11.6 3.8 14l1-4.6L1.4 6.3 6 5.8z" fill="currentColor" />
          </svg>
        )}
        {m.role}
      </span>
      <span className="component-meta">
        term <b>{m.term}</b> · commit <b>{m.commitIndex}</b>/{m.lastIndex}
      </span>
    </ComponentRow>
  );
});

const SchedulerRow = memo(function SchedulerRow({ view }: { view: SchedulerView }) {
  const up = view.state !== 'stopped';
  const last = view.last;
  return (
    <ComponentRow name="kube-scheduler" state={view.state}>
      <span className={`dot ${up ? 'ok' : 'bad'}`} aria-hidden="true" />
      <ComponentName name="kube-scheduler" />
      <span className={`badge ${up ? 'badge-ok' : 'badge-bad'}`}>{up ? 'running' : 'stopped'}</span>
      <span className="component-meta" data-testid="scheduler-summary" title={last?.message}>
        <b>{view.pending}</b> pending
        {last && (last.node ? <> · {last.pod} → <b>{last.node}</b></> : <> · {last.pod} unschedulable</>)}
      </span>
    </ComponentRow>
  );
});

/** A row that opens its component in the inspector when clicked; ringed while it is the one shown. */
function ComponentRow({ name, state, attrs, children }: { name: string; state?: string; attrs?: Record<`data-${string}`, string | number>; children: ReactNode }) {
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
