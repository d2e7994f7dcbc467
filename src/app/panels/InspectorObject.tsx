// One stored object in the inspector, in three tabs: Summary (what
// `kubectl describe` leads with: status, details, labels, conditions, the
// owner it is "Controlled By" and what it owns), YAML (`kubectl get -o
// yaml`, read-only; Edit hands it to the YAML editor) and Events (describe's
// Events section); a Pod also has Scheduling (SchedulingExplainer.tsx). The
// view (the `inspectObject` query) is recomputed when etcd's revision moves
// (throttled) and ages tick with the simulated second.
import { memo, useEffect, useMemo, useState, type ReactNode } from 'react';
import { age } from '../format-age';
import { eventInterval, type EventRow } from '../store/events-view';
import { parseObjectKey, type ConditionRow, type Fact, type ObjectInspection, type ObjectLink } from '../store/inspector-views';
import { useSimQuery } from '../host/use-sim-query';
import { useClusterStore } from '../store/store-context';
import { selectInspectorTab, selectOpenEditor, selectRevision, selectSetInspectorTab } from '../store/selectors';
import { describeKey, InspectorHeader, SelectLink } from './Inspector';
import { useAgeNow, useThrottledStore } from './InspectorHooks';
import { NodeActionBar } from './NodeMenu';
import { InspectorUsage } from './InspectorUsage';
import { InspectorDnsLookup } from './InspectorDnsLookup';
import { SchedulingExplainer } from './SchedulingExplainer';
import { TabBar, TabLabel, type TabDef } from './Tabs';

type ObjectTab = 'summary' | 'yaml' | 'events' | 'scheduling';

export function InspectorObject({ objectKey, close }: { objectKey: string; close: ReactNode }) {
  const openEditor = useClusterStore(selectOpenEditor);
  const revision = useThrottledStore(selectRevision); // recompute when etcd moved
  const answer = useSimQuery('inspectObject', [objectKey], revision);
  // null: the simulation (in the worker) has not answered yet; { view: null }: the object is not stored.
  const view = answer?.view ?? null;
  const { kind, namespace, name } = parseObjectKey(objectKey);
  // A pod opens on its Scheduling tab when that was asked for (stepping kube-scheduler's extension points does).
  const requested = useClusterStore(selectInspectorTab);
  const remember = useClusterStore(selectSetInspectorTab);
  const [tab, setLocalTab] = useState<ObjectTab>(() => (requested === 'scheduling' && kind === 'Pod' ? 'scheduling' : 'summary'));
  useEffect(() => {
    if (requested === 'scheduling' && kind === 'Pod') setLocalTab('scheduling');
  }, [requested, kind]);
  const setTab = (t: ObjectTab) => {
    setLocalTab(t);
    remember(t);
  };
  const now = useAgeNow();

  const tabs = useMemo<TabDef<ObjectTab>[]>(
    () => [
      { id: 'summary', label: 'Summary' },
      { id: 'yaml', label: 'YAML' },
      { id: 'events', label: <TabLabel text="Events" count={view?.events.length ?? 0} /> },
      ...(kind === 'Pod' ? [{ id: 'scheduling' as const, label: 'Scheduling' }] : []),
    ],
    [view?.events.length, kind],
  );

  const edit = view && (
    <button type="button" className="btn btn-small" data-testid="inspector-edit" title="Edit this object's YAML and apply it" onClick={() => openEditor({ text: view.yaml, sourceKey: objectKey })}>
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
        <path d="M10.8 2.2l3 3L6 13H3v-3z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      </svg>
      Edit
    </button>
  );

  return (
    <>
      <InspectorHeader
        kind={kind}
        kindClass={`kind-${kind.toLowerCase()}`}
        name={name}
        sub={namespace || undefined}
        actions={
          <>
            {edit}
            {close}
          </>
        }
      />
      {/* A Node's faults and operations, as its card's menu offers them (the heat map has no cards). */}
      {kind === 'Node' && view && <NodeActionBar node={name} />}
      {!view ? (
        answer && (
          <p className="empty" data-testid="inspector-gone">
            {describeKey(objectKey)} is not stored any more: it was deleted.
          </p>
        )
      ) : (
        <>
          <div className="inspector-tabs">
            <TabBar tabs={tabs} active={tab} onSelect={setTab} label="Inspector views" idPrefix="inspector" />
          </div>
          <div className="panel-body inspector-body" role="tabpanel" id="inspector-panel" aria-labelledby={`inspector-tab-${tab}`}>
            {tab === 'summary' && <Summary view={view} now={now} />}
            {tab === 'yaml' && <YamlView yaml={view.yaml} />}
            {tab === 'events' && <ObjectEvents events={view.events} now={now} />}
            {tab === 'scheduling' && <SchedulingExplainer podKey={`${namespace}/${name}`} />}
          </div>
        </>
      )}
    </>
  );
}

function Summary({ view, now }: { view: ObjectInspection; now: number }) {
  return (
    <div className="inspector-sections" data-testid="inspector-summary">
      <div className="inspector-status">
        {view.status && (
          <span className={`status status-${view.tone}`} data-testid="inspector-status">
            {view.tone !== 'muted' && <span className={`dot ${view.tone}`} aria-hidden="true" />}
            {view.status}
          </span>
        )}
        {view.created !== undefined && <span className="muted">created {age(view.created, now)} ago</span>}
      </div>
      {view.facts.length > 0 && <Facts facts={view.facts} />}
      {(view.kind === 'Node' || view.kind === 'Pod') && <InspectorUsage objectKey={view.key} />}
      {view.kind === 'Service' && <InspectorDnsLookup namespace={view.namespace} name={view.name} />}
      {view.labels.length > 0 && (
        <Section title="Labels">
          <ul className="chips">
            {view.labels.map((l) => (
              <li key={l} className="chip">
                {l}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {view.conditions.length > 0 && (
        <Section title="Conditions">
          <Conditions rows={view.conditions} now={now} />
        </Section>
      )}
      <Section title="Controlled by">
        {view.owners.length === 0 ? <p className="none">&lt;none&gt;</p> : <Links links={view.owners} testId="inspector-owner" />}
      </Section>
      {view.owned.length > 0 && (
        <Section title={`Owns (${view.owned.length})`}>
          <Links links={view.owned.slice(0, 100)} testId="inspector-owned" />
        </Section>
      )}
      <p className="inspector-uid muted">uid {view.uid}</p>
    </div>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="inspector-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export function Facts({ facts, testId }: { facts: readonly Fact[]; testId?: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {facts.map((f) => (
        <div key={f.label} className="fact" data-label={f.label}>
          <dt>{f.label}</dt>
          <dd className={f.tone ? `status-${f.tone}` : undefined}>{f.select ? <SelectLink to={f.select}>{f.value}</SelectLink> : f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Conditions({ rows, now }: { rows: readonly ConditionRow[]; now: number }) {
  return (
    <table className="mini-table conditions" data-testid="inspector-conditions">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Reason</th>
          <th scope="col" title="Last transition">Since</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <ConditionLine key={c.type} c={c} since={c.since === undefined ? '—' : age(c.since, now)} />
        ))}
      </tbody>
    </table>
  );
}

const ConditionLine = memo(function ConditionLine({ c, since }: { c: ConditionRow; since: string }) {
  const tone = conditionTone(c);
  return (
    <>
      <tr data-testid="condition" data-type={c.type} data-status={c.status}>
        <td className="mono">{c.type}</td>
        <td>
          <span className={`status status-${tone}`}>{c.status}</span>
        </td>
        <td className="muted">{c.reason || '—'}</td>
        <td className="muted mono">{since}</td>
      </tr>
      {c.message && (
        <tr className="condition-message">
          <td colSpan={4}>{c.message}</td>
        </tr>
      )}
    </>
  );
});

/** Ready-like conditions are good when True; pressure conditions (MemoryPressure, ...) when False. */
function conditionTone(c: ConditionRow): 'ok' | 'warn' | 'bad' {
  const problem = /Pressure$|Unavailable$/.test(c.type);
  if (c.status === 'Unknown') return 'warn';
  return (c.status === 'True') !== problem ? 'ok' : 'bad';
}

function Links({ links, testId }: { links: readonly ObjectLink[]; testId: string }) {
  return (
    <ul className="links">
      {links.map((l) => (
        <li key={l.key} data-testid={testId} data-key={l.key}>
          {l.exists ? (
            <SelectLink to={{ type: 'object', key: l.key }}>
              {l.kind}/{l.name}
            </SelectLink>
          ) : (
            <span className="muted" title="No such object is stored">
              {l.kind}/{l.name} (not found)
            </span>
          )}
          {l.controller && <span className="badge badge-muted">controller</span>}
        </li>
      ))}
    </ul>
  );
}

/** The YAML, keys tinted: read-only here; the editor edits. */
const YamlView = memo(function YamlView({ yaml }: { yaml: string }) {
  const lines = useMemo(() => yaml.replace(/\n$/, '').split('\n'), [yaml]);
  return (
    <pre className="yaml" data-testid="inspector-yaml" aria-label="YAML">
      {lines.map((line, i) => (
        <YamlLine key={i} line={line} />
      ))}
    </pre>
  );
});

const YAML_KEY = /^(\s*(?:- )*)([^\s:'"][^:]*?|'[^']*'|"[^"]*"):(?= |$)(.*)$/;

function YamlLine({ line }: { line: string }) {
  const m = YAML_KEY.exec(line);
  if (!m) return <>{`${line}\n`}</>;
  return (
    <>
      {m[1]}
      <span className="yaml-key">{m[2]}</span>:<span className="yaml-value">{m[3]}</span>
      {'\n'}
    </>
  );
}

function ObjectEvents({ events, now }: { events: readonly EventRow[]; now: number }) {
  if (events.length === 0) return <p className="empty">Events: &lt;none&gt;</p>;
  return (
    <table className="mini-table object-events" data-testid="inspector-events">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Reason</th>
          <th scope="col">Age</th>
          <th scope="col">From</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-testid="inspector-event" data-reason={e.reason} className={e.type === 'Warning' ? 'event-warning' : undefined}>
            <td>
              <span className={`status status-${e.type === 'Warning' ? 'warn' : 'muted'} event-type`}>{e.type}</span>
            </td>
            <td className="mono">{e.reason}</td>
            <td className="muted mono">{eventInterval(e, now)}</td>
            <td className="muted">{e.from}</td>
            <td className="event-message">{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
