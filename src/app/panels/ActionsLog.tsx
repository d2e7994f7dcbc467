import { memo } from 'react';
import type { ActionRecord } from '../../sim/cluster';
import type { Action } from '../../sim/model';
import { formatInstant } from '../format-clock';
import { useClusterStore } from '../store/store-context';
import { selectActions } from '../store/selectors';
import { Panel } from './Panel';

/** What the scenario's timeline and the user did, and what kubectl answered. */
export function ActionsLog() {
  const actions = useClusterStore(selectActions);
  return (
    <Panel title="Actions" testId="actions-panel" count={`${actions.length}`} className="actions-panel">
      {actions.length === 0 ? (
        <div className="empty empty-actions">
          <p>Nothing done yet. Timeline steps and your actions appear here, with kubectl's answers.</p>
          <p className="shortcuts">
            <kbd>Space</kbd> play / pause <span className="sep">·</span> <kbd>.</kbd> step <span className="sep">·</span> <kbd>`</kbd> kubectl
          </p>
        </div>
      ) : (
        <ol className="action-list">
          {actions.map((a, i) => (
            <ActionEntry key={actions.length - i} record={a} />
          ))}
        </ol>
      )}
    </Panel>
  );
}

const ActionEntry = memo(function ActionEntry({ record }: { record: ActionRecord }) {
  const failed = record.outcomes.some((o) => !o.ok);
  return (
    <li className={failed ? 'action failed' : 'action'} data-testid="action-entry" data-ok={!failed}>
      <div className="action-head">
        <span className="action-t">{formatInstant(record.at)}</span>
        <span className={`badge badge-${record.source === 'user' ? 'leader' : 'muted'}`}>{record.source}</span>
        <span className="action-what">{describeAction(record.action)}</span>
      </div>
      <ul className="outcomes">
        {record.outcomes.map((o, i) => (
          <li key={i} className={o.ok ? 'outcome' : 'outcome failed'}>
            {o.ok ? '✓' : '✕'} {o.message}
          </li>
        ))}
      </ul>
    </li>
  );
});

export function describeAction(a: Action): string {
  switch (a.action) {
    case 'apply':
      return `apply ${a.manifests.map((m) => `${m.kind}/${m.metadata?.name ?? '?'}`).join(', ')}`;
    case 'delete':
      return `delete ${a.kind} ${qualified(a.namespace, a.name)}`;
    case 'scale':
      return `scale ${a.kind} ${qualified(a.namespace, a.name)} to ${a.replicas}`;
    case 'stopComponent':
    case 'startComponent':
      return `${a.action} ${a.component}`;
    default:
      return `${a.action} ${a.node}`;
  }
}

function qualified(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
