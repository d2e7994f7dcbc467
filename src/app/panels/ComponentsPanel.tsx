import { memo } from 'react';
import type { EtcdMemberView } from '../../sim/etcd/etcd-cluster';
import type { SchedulerView } from '../store/cluster-store';
import { useClusterStore } from '../store/store-context';
import { selectApiserver, selectControllerManager, selectEtcd, selectScheduler } from '../store/selectors';
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
        <li className="component" data-testid="component-kube-apiserver" data-state={apiserver}>
          <span className={`dot ${apiserver === 'running' ? 'ok' : 'bad'}`} aria-hidden="true" />
          <span className="component-name">kube-apiserver</span>
          <span className={`badge ${apiserver === 'running' ? 'badge-ok' : 'badge-bad'}`}>{apiserver}</span>
        </li>
        <SchedulerRow view={scheduler} />
        <li className="component" data-testid="component-kube-controller-manager" data-state={kcm.state}>
          <span className={`dot ${kcm.state === 'running' ? 'ok' : 'bad'}`} aria-hidden="true" />
          <span className="component-name">kube-controller-manager</span>
          <span className={`badge ${kcm.state === 'running' ? 'badge-ok' : 'badge-bad'}`}>{kcm.state}</span>
          <span className="component-meta">
            <b>{kcm.controllers}</b> controllers
          </span>
        </li>
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
    <li className="component" data-testid={`component-${m.name}`} data-role={m.role} data-term={m.term}>
      <span className={`dot ${tone}`} aria-hidden="true" />
      <span className="component-name">{m.name}</span>
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
    </li>
  );
});

const SchedulerRow = memo(function SchedulerRow({ view }: { view: SchedulerView }) {
  const up = view.state !== 'stopped';
  const last = view.last;
  return (
    <li className="component" data-testid="component-kube-scheduler" data-state={view.state}>
      <span className={`dot ${up ? 'ok' : 'bad'}`} aria-hidden="true" />
      <span className="component-name">kube-scheduler</span>
      <span className={`badge ${up ? 'badge-ok' : 'badge-bad'}`}>{up ? 'running' : 'stopped'}</span>
      <span className="component-meta" data-testid="scheduler-summary" title={last?.message}>
        <b>{view.pending}</b> pending
        {last && (last.node ? <> · {last.pod} → <b>{last.node}</b></> : <> · {last.pod} unschedulable</>)}
      </span>
    </li>
  );
});
