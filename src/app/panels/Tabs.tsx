// Tabs as WAI-ARIA describes them (role tablist/tab/tabpanel, arrow keys move
// between tabs), and the centre column's panel that uses them: "Objects |
// Events". Only the active tab's content is mounted, so a hidden table costs
// nothing while the cluster runs.
import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useClusterStore } from '../store/store-context';
import { selectEventCount, selectListedCount } from '../store/selectors';
import { EventsPanel } from './EventsPanel';
import { ObjectsTable } from './ObjectsTable';

export interface TabDef<Id extends string = string> {
  id: Id;
  label: ReactNode;
}

interface TabBarProps<Id extends string> {
  tabs: readonly TabDef<Id>[];
  active: Id;
  onSelect: (id: Id) => void;
  label: string;
  /** Prefix for the tabs' ids and test ids ("inspector" -> "inspector-tab-yaml"). */
  idPrefix: string;
}

export function TabBar<Id extends string>({ tabs, active, onSelect, label, idPrefix }: TabBarProps<Id>) {
  const onKeyDown = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = tabs[(next + tabs.length) % tabs.length];
    onSelect(t.id);
    document.getElementById(`${idPrefix}-tab-${t.id}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${t.id}`}
          data-testid={`${idPrefix}-tab-${t.id}`}
          aria-selected={t.id === active}
          aria-controls={`${idPrefix}-panel`}
          tabIndex={t.id === active ? 0 : -1}
          className={t.id === active ? 'tab active' : 'tab'}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

type CenterTab = 'objects' | 'events';

/** The centre column under the canvas: every object, or the cluster's events. */
export function ObjectsAndEvents() {
  const [tab, setTab] = useState<CenterTab>('objects');
  const tabs = useMemo<TabDef<CenterTab>[]>(
    () => [
      { id: 'objects', label: <TabLabel text="Objects" count={<ObjectsCount />} /> },
      { id: 'events', label: <TabLabel text="Events" count={<EventsCount />} /> },
    ],
    [],
  );
  return (
    <section className="panel objects-panel tabbed-panel" data-testid="objects-panel" aria-label={tab === 'objects' ? 'Objects' : 'Events'}>
      <header className="panel-header tabbed-header">
        <TabBar tabs={tabs} active={tab} onSelect={setTab} label="Objects and events" idPrefix="center" />
      </header>
      <div className="panel-body" role="tabpanel" id="center-panel" aria-labelledby={`center-tab-${tab}`}>
        {tab === 'objects' ? <ObjectsTable /> : <EventsPanel />}
      </div>
    </section>
  );
}

export function TabLabel({ text, count }: { text: string; count?: ReactNode }) {
  return (
    <>
      <span>{text}</span>
      {count !== undefined && <span className="tab-count">{count}</span>}
    </>
  );
}

function ObjectsCount() {
  return <>{useClusterStore(selectListedCount)}</>;
}

function EventsCount() {
  return <>{useClusterStore(selectEventCount)}</>;
}
