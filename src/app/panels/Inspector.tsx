// The inspector (issue 5 part 3): whatever is selected, shown in the right
// column in place of the wire list. An object as `kubectl describe` and
// `kubectl get -o yaml` show it (InspectorObject), a component as its
// statechart, its work, its settings and its messages (InspectorComponent).
// The close button or Escape gives the column back to the wire list.
import { useEffect, type ReactNode } from 'react';
import type { Selection } from '../store/cluster-store';
import { parseObjectKey } from '../store/inspector-views';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { selectSelect, selectSelection } from '../store/selectors';
import { InspectorComponent } from './InspectorComponent';
import { InspectorObject } from './InspectorObject';

/** The inspector while something is selected, else `children` (the wire list). */
export function InspectorColumn({ children }: { children: ReactNode }) {
  const selection = useClusterStore(selectSelection);
  if (!selection) return <>{children}</>;
  return <Inspector selection={selection} />;
}

function Inspector({ selection }: { selection: Selection }) {
  const select = useClusterStore(selectSelect);
  const store = useClusterStoreApi();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || store.getState().editor !== null) return;
      const el = e.target as HTMLElement | null;
      // Escape in a field belongs to the field (the kubectl line, the editor).
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
      select(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select, store]);

  const close = (
    <button type="button" className="btn btn-ghost inspector-close" data-testid="inspector-close" aria-label="Close the inspector" title="Close (Esc)" onClick={() => select(null)}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
      </svg>
    </button>
  );
  const id = selection.type === 'object' ? selection.key : selection.name;
  return (
    <section className="panel inspector" data-testid="inspector" data-selection={selection.type} data-id={id} aria-label="Inspector">
      {selection.type === 'object' ? <InspectorObject key={selection.key} objectKey={selection.key} close={close} /> : <InspectorComponent key={selection.name} name={selection.name} close={close} />}
    </section>
  );
}

/** The inspector's header: what it shows, its kind, and the buttons. */
export function InspectorHeader({ kind, kindClass, name, sub, actions }: { kind: string; kindClass: string; name: string; sub?: string; actions: ReactNode }) {
  return (
    <header className="inspector-header">
      <div className="inspector-title">
        <span className="inspector-eyebrow">
          <span className={`kind ${kindClass}`}>{kind}</span>
          {sub && <span className="inspector-sub">{sub}</span>}
        </span>
        <h2 className="inspector-name" data-testid="inspector-name" title={name}>
          {name}
        </h2>
      </div>
      <div className="inspector-actions">{actions}</div>
    </header>
  );
}

/** A link-styled button that selects another object or component. */
export function SelectLink({ to, children, testId }: { to: Selection; children: ReactNode; testId?: string }) {
  const select = useClusterStore(selectSelect);
  const title = to.type === 'object' ? `Inspect ${describeKey(to.key)}` : `Inspect ${to.name}`;
  return (
    <button type="button" className="select-link" data-testid={testId} title={title} onClick={() => select(to)}>
      {children}
    </button>
  );
}

/** "ReplicaSet default/web-abc" from an object key. */
export function describeKey(key: string): string {
  const { kind, namespace, name } = parseObjectKey(key);
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
