// One component in the inspector: its statechart's state (an etcd member's
// raft role, the scheduler's extension point, a kubelet's machine and its
// node's Ready condition; leader or standby with the Lease's holder for the
// leader-elected replicas of a highly available control plane), what it
// exposes of its work (members, pending pods, controllers, the pods a
// kubelet runs, the load balancer's backends, the cloud's instances), its
// settings under upstream's flag names, and the last wire messages it sent
// or received (the `inspectComponent` and `componentMessages` queries).
// Recomputed when the revision or the wire moved, at most every
// VIEW_REFRESH_MS.
import { verbClass } from './WireMessages';
import { memo, useCallback, useMemo, useRef, type ReactNode } from 'react';
import type { WireMessage } from '../../sim/kernel/trace';
import { formatInstant } from '../format-clock';
import { COMPONENT_MESSAGES, type ComponentInspection, type FactList, type Setting } from '../store/inspector-views';
import { useSimQuery } from '../host/use-sim-query';
import { useClusterStoreApi } from '../store/store-context';
import { selectMessageCount, selectRevision } from '../store/selectors';
import { InspectorHeader, SelectLink } from './Inspector';
import { useThrottledStore } from './InspectorHooks';
import { Facts, Section } from './InspectorObject';
import { machineMenuEntries } from '../canvas/fault-zone-actions';
import { useControlPlaneMachine } from '../canvas/use-control-plane';
import { actWithNotice } from './act-with-notice';
import { ComponentActionBar } from './ComponentMenu';
import { NodeActionBar } from './NodeMenu';

const KIND_LABEL: Record<ComponentInspection['kind'], string> = {
  etcd: 'etcd member',
  'kube-apiserver': 'control plane',
  'kube-scheduler': 'control plane',
  'kube-controller-manager': 'control plane',
  'cloud-controller-manager': 'control plane',
  'load-balancer': 'control-plane endpoint',
  kubelet: 'node agent',
};

export function InspectorComponent({ name, close }: { name: string; close: ReactNode }) {
  const revision = useThrottledStore(selectRevision);
  const messageCount = useThrottledStore(selectMessageCount);
  // State moves with the objects and with the wire (raft, queues).
  const version = useMemo(() => [revision, messageCount], [revision, messageCount]);
  const answer = useSimQuery('inspectComponent', [name], version);
  const view = answer?.view ?? null;
  const messages = useNewestMessages(name, messageCount);

  if (!view) {
    return (
      <>
        <InspectorHeader kind="component" kindClass="kind-component" name={name} actions={close} />
        {/* No answer yet (the simulation in the worker): nothing to say. */}
        {answer && (
          <p className="empty" data-testid="inspector-gone">
            This cluster has no component named {name}.
          </p>
        )}
      </>
    );
  }
  return (
    <>
      <InspectorHeader kind={KIND_LABEL[view.kind]} kindClass={`kind-component kind-${view.kind}`} name={view.name} actions={close} />
      {/* Stop / start, as the canvas box's menu offers it (a replica's machine can be powered too); a kubelet gets its node's actions; the load balancer has none. */}
      {view.kind === 'kubelet' ? (
        <NodeActionBar node={view.name.slice('kubelet/'.length)} />
      ) : view.kind === 'load-balancer' ? null : (
        <div className="inspector-actions-row">
          <ComponentActionBar name={view.name} />
          {view.machine && <MachineActionBar machine={view.machine} />}
        </div>
      )}
      <div className="panel-body inspector-body">
        <div className="inspector-sections" data-testid="inspector-component">
          <div className="inspector-state">
            <span className="inspector-state-label">state</span>
            <span className={`badge badge-${view.tone} state-badge`} data-testid="inspector-state">
              {view.state}
            </span>
          </div>
          <p className="inspector-about">{view.about}</p>
          <Facts facts={view.facts} testId="inspector-facts" />
          {view.lists.map((l) => (
            <ItemList key={l.title} list={l} />
          ))}
          {view.settings.length > 0 && (
            <Section title="Settings">
              <Settings settings={view.settings} />
            </Section>
          )}
          <Section title={`Recent messages (last ${COMPONENT_MESSAGES})`}>
            <Messages name={view.name} messages={messages} />
          </Section>
        </div>
      </div>
    </>
  );
}

/** Power a replica's control-plane machine off or on, as its frame's menu on the canvas does. */
function MachineActionBar({ machine }: { machine: string }) {
  const store = useClusterStoreApi();
  const powered = useControlPlaneMachine(machine)?.powered !== false;
  const act = useCallback((e: ReturnType<typeof machineMenuEntries>[number]) => void actWithNotice(store, e.actions), [store]);
  return (
    <div className="action-bar" role="toolbar" aria-label={`Actions for ${machine}`} data-testid="machine-action-bar">
      {machineMenuEntries(machine, powered).map((e) => (
        <button key={e.id} type="button" className="btn btn-small" data-testid={`machine-action-${e.id}`} title={e.hint} onClick={() => act(e)}>
          {e.label}
        </button>
      ))}
    </div>
  );
}

/** The component's newest messages; the same array while none of its own arrived, so the list does not redraw. */
function useNewestMessages(name: string, messageCount: number): WireMessage[] {
  const previous = useRef<WireMessage[]>([]);
  const answer = useSimQuery('componentMessages', [name], messageCount); // re-read when the wire moved
  return useMemo(() => {
    const next = answer ?? NO_MESSAGES;
    const old = previous.current;
    if (next.length === old.length && (next[0]?.seq ?? 0) === (old[0]?.seq ?? 0)) return old;
    previous.current = next;
    return next;
  }, [answer]);
}

const NO_MESSAGES: WireMessage[] = [];

function ItemList({ list }: { list: FactList }) {
  return (
    <Section title={`${list.title} (${list.items.length})`}>
      {list.items.length === 0 ? (
        <p className="none">{list.empty}</p>
      ) : (
        <ul className="items" data-testid="inspector-list">
          {list.items.map((i) => (
            <li key={i.label} className="item">
              <span className={`dot ${i.tone ?? 'ok'}`} aria-hidden="true" />
              <span className="item-label">{i.select ? <SelectLink to={i.select}>{i.label}</SelectLink> : i.label}</span>
              {i.detail && <span className="item-detail muted">{i.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Settings({ settings }: { settings: readonly Setting[] }) {
  return (
    <dl className="settings" data-testid="inspector-settings">
      {settings.map((s) => (
        <div key={s.name} className="setting">
          <dt className="mono">{s.name}</dt>
          <dd>
            <span className="setting-value mono">{s.value}</span>
            {s.items && (
              <ul className="chips setting-items">
                {s.items.map((i) => (
                  <li key={i} className="chip">
                    {i}
                  </li>
                ))}
              </ul>
            )}
            {s.note && <span className="setting-note muted">{s.note}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const Messages = memo(function Messages({ name, messages }: { name: string; messages: readonly WireMessage[] }) {
  if (messages.length === 0) return <p className="none">No messages kept for {name}.</p>;
  return (
    <ol className="peer-list" data-testid="inspector-messages">
      {messages.map((m) => (
        <PeerMessage key={m.seq} m={m} self={name} />
      ))}
    </ol>
  );
});

/** One message from this component's side: → to a peer, ← from one. */
const PeerMessage = memo(function PeerMessage({ m, self }: { m: WireMessage; self: string }) {
  const out = m.from === self;
  const peer = out ? m.to : m.from;
  const verb = m.detail ? `${m.verb} ${m.detail}` : m.verb;
  return (
    <li className={m.ok ? 'peer-msg' : 'peer-msg failed'} data-testid="inspector-message" data-verb={m.verb} data-ok={m.ok}>
      <span className="wire-t">{formatInstant(m.t)}</span>
      <span className="peer-dir" aria-label={out ? 'to' : 'from'}>
        {out ? '→' : '←'}
      </span>
      <span className="peer-name">{peer}</span>
      <span className="peer-what">
        <span className={`wire-verb verb-${verbClass(m.verb)}`}>{verb}</span> {[m.resource, m.key].filter(Boolean).join(' ')}
        {!m.ok && <span className="wire-error">✕ {m.error ?? 'failed'}</span>}
      </span>
    </li>
  );
});

