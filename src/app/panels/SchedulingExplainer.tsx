// The scheduling explainer (issue 7): a pod's "Scheduling" tab in the
// inspector. For the cycle kube-scheduler is walking (stepped one extension
// point at a time with Shift+→) or any earlier cycle of the pod: each
// extension point as a step, the examined-node sample, the Filter table, the
// Score table and the binding; the scheduler's queues; and for a pending
// pod, "why is it pending?" with upstream's summary and each node's reason.
// While it is shown, the node cards on the canvas glow (feasible), show
// their reason (infeasible) or are marked (chosen). With several
// kube-scheduler replicas it names the one explained (the leader). The view is plain data
// from store/explainer-views.ts (the `explainPod` query), recomputed when
// etcd's revision or the scheduler's point moved.
import { useEffect, useMemo, useState } from 'react';
import { formatClock } from '../format-clock';
import { useSimQuery } from '../host/use-sim-query';
import { type CycleView, type ExplainerView, type PendingWhy, type QueuesView, type StepView } from '../store/explainer-views';
import { useClusterStore } from '../store/store-context';
import { selectRevision, selectScheduler, selectSetSchedulingMarks, selectStepPoint } from '../store/selectors';
import { useThrottledStore } from './InspectorHooks';
import { FilterTable, ScoreTable } from './SchedulingExplainerTables';

export function SchedulingExplainer({ podKey }: { podKey: string }) {
  const revision = useThrottledStore(selectRevision);
  const scheduler = useThrottledStore(selectScheduler);
  const [cycleId, setCycleId] = useState<string | undefined>(undefined);
  const version = useMemo(() => [revision, scheduler], [revision, scheduler]); // recompute when etcd or the scheduler's point moved
  const view = useSimQuery('explainPod', [podKey, cycleId], version);
  useCanvasMarks(view);
  if (!view) return null;
  return (
    <div className="explainer" data-testid="scheduling-explainer" data-pod={podKey} data-status={view.status}>
      <p className={`explainer-headline status-${view.status}`} data-testid="explainer-headline">
        {view.headline}
      </p>
      {/* With several kube-scheduler replicas: which one's cycles these are. */}
      {view.replica && (
        <p className={`explainer-replica${view.replica.leading ? '' : ' standby'}`} data-testid="explainer-replica" data-replica={view.replica.name} data-leading={view.replica.leading}>
          {view.replica.note}
        </p>
      )}
      {view.pending && <PendingBox why={view.pending} />}
      <Queues queues={view.queues} />
      {view.cycles.length > 1 && <CyclePicker view={view} selected={view.cycle?.id} onPick={(id) => setCycleId(id === view.cycles[0].id ? undefined : id)} />}
      {view.cycle ? <CycleDetail cycle={view.cycle} newest={view.cycle.id === view.cycles[0]?.id} /> : <NoCycle status={view.status} />}
      {view.attempts.length > 0 && <Attempts attempts={view.attempts} />}
    </div>
  );
}

/** The node cards show this cycle's verdicts while the explainer is open; a binding in flight is highlighted. */
function useCanvasMarks(view: ExplainerView | null) {
  const setMarks = useClusterStore(selectSetSchedulingMarks);
  const marks = view?.cycle?.marks ?? null;
  const binding = view?.cycle?.bind?.state === 'sent' ? view.podKey : null;
  useEffect(() => setMarks(marks && Object.keys(marks).length ? marks : null), [marks, setMarks]);
  useEffect(() => () => setMarks(null), [setMarks]);
  useEffect(() => {
    const root = document.documentElement;
    if (binding) root.dataset.explainBind = binding;
    else delete root.dataset.explainBind;
    return () => void delete root.dataset.explainBind;
  }, [binding]);
}

function PendingBox({ why }: { why: PendingWhy }) {
  return (
    <section className="pending-why" data-testid="pending-why" aria-label="Why is it pending?">
      <h3>Why is it pending?</h3>
      <p className="pending-summary" data-testid="pending-summary">
        {why.summary}
      </p>
      {why.perNode.length > 0 && (
        <ul className="pending-nodes">
          {why.perNode.map((n) => (
            <li key={n.node} data-testid="pending-node" data-node={n.node}>
              <span className="mono">{n.node}</span>
              {n.plugin && <span className="plugin-name">{n.plugin}</span>}
              <span className="pending-reason">{n.reason}</span>
            </li>
          ))}
        </ul>
      )}
      {why.next && <p className="pending-next muted">{why.next}</p>}
    </section>
  );
}

function CyclePicker({ view, selected, onPick }: { view: ExplainerView; selected?: string; onPick: (id: string) => void }) {
  return (
    <div className="cycle-picker" role="listbox" aria-label="Scheduling cycles of this pod" data-testid="cycle-picker">
      {view.cycles.map((c, i) => (
        <button
          key={c.id}
          type="button"
          role="option"
          aria-selected={c.id === selected}
          className={`cycle-chip outcome-${c.outcome}${c.id === selected ? ' active' : ''}`}
          data-testid="explainer-cycle"
          data-id={c.id}
          data-outcome={c.outcome}
          title={c.message ?? (c.node ? `bound to ${c.node}` : '')}
          onClick={() => onPick(c.id)}
        >
          {c.attempt !== undefined ? `#${c.attempt}` : i === 0 ? 'last' : `#${view.cycles.length - i}`}
          {c.at !== undefined && <span className="muted"> {formatClock(c.at)}</span>}
          <span className="cycle-outcome"> {c.outcome === 'in-progress' ? 'now' : c.outcome === 'bound' ? `→ ${c.node}` : 'failed'}</span>
        </button>
      ))}
    </div>
  );
}

function CycleDetail({ cycle, newest }: { cycle: CycleView; newest: boolean }) {
  const stepPoint = useClusterStore(selectStepPoint);
  return (
    <>
      <section className="explainer-section" aria-label="Extension points">
        <header className="explainer-section-head">
          <h3>
            {cycle.live ? 'This cycle, now' : newest ? 'Its last cycle' : 'An earlier cycle'}
            {cycle.attempt !== undefined && <span className="muted"> · attempt {cycle.attempt}</span>}
            {cycle.at !== undefined && <span className="muted"> · {formatClock(cycle.at)}</span>}
            {cycle.source === 'annotations' && <span className="muted"> · from the pod&apos;s annotations</span>}
          </h3>
          <button type="button" className="btn btn-small explainer-next" data-testid="explainer-next-point" onClick={stepPoint} title="Step to kube-scheduler's next extension point (Shift+→)">
            Next point
          </button>
        </header>
        <ol className="explainer-steps">
          {cycle.steps.map((s) => (
            <Step key={s.point} step={s} />
          ))}
        </ol>
      </section>
      {cycle.sample && (
        <p className="explainer-sample" data-testid="explainer-sample">
          Examined <strong>{cycle.sample.examined}</strong> of {cycle.sample.numAllNodes} node{cycle.sample.numAllNodes === 1 ? '' : 's'}, <strong>{cycle.sample.feasible}</strong> feasible ({cycle.sample.rule}
          {cycle.sample.startIndex !== undefined && cycle.sample.numAllNodes >= 100 ? `; the walk started at node #${cycle.sample.startIndex}, where the last cycle stopped` : ''}).
        </p>
      )}
      {cycle.filter && <FilterTable filter={cycle.filter} />}
      {cycle.score && <ScoreTable score={cycle.score} />}
      {cycle.bind && (
        <p className={`explainer-bind bind-${cycle.bind.state}`} data-testid="explainer-bind" data-state={cycle.bind.state}>
          <span className="mono">POST pods/binding</span> → kube-apiserver: <strong>{cycle.bind.node}</strong>{' '}
          <span className="muted">{cycle.bind.state === 'upcoming' ? '(at Bind)' : cycle.bind.state === 'sent' ? '(on its way: the highlighted token on the canvas)' : '(done)'}</span>
        </p>
      )}
      {cycle.message && (
        <p className="explainer-message" data-testid="explainer-message">
          {cycle.message}
        </p>
      )}
    </>
  );
}

const STEP_ICON: Record<StepView['state'], string> = { done: '✓', current: '●', upcoming: '○', 'not-run': '–' };

function Step({ step }: { step: StepView }) {
  const title = [step.note, step.detail, step.plugins.length ? `Plugins: ${step.plugins.join(', ')}` : ''].filter(Boolean).join('\n');
  return (
    <li
      className={`explainer-step step-${step.state}`}
      data-testid="explainer-step"
      data-point={step.point}
      data-state={step.state}
      aria-current={step.state === 'current' ? 'step' : undefined}
      title={title || undefined}
    >
      <span className="step-icon" aria-hidden="true">
        {STEP_ICON[step.state]}
      </span>
      <span className="step-label">{step.label}</span>
      <span className="step-note">{step.note}</span>
      {/* The point being shown: which plugins run there. */}
      {step.state === 'current' && step.plugins.length > 0 && <span className="step-plugins">{step.plugins.join(' · ')}</span>}
    </li>
  );
}

function NoCycle({ status }: { status: ExplainerView['status'] }) {
  const text =
    status === 'preassigned'
      ? 'No scheduling cycle: the pod named its node itself.'
      : status === 'gone'
        ? 'Nothing to explain.'
        : 'No scheduling cycle has run for this pod yet. Step to the next extension point (Shift+→) to watch its first one.';
  return <p className="empty">{text}</p>;
}

const QUEUE_NOTE = {
  activeQ: 'next to be tried, by priority then age (PrioritySort)',
  backoffQ: 'failed recently: wait 1 s, doubling per attempt, at most 10 s',
  unschedulable: 'wait for a change that may help, or 5 minutes',
  gated: 'held by scheduling gates (PreEnqueue)',
} as const;

function Queues({ queues }: { queues: QueuesView }) {
  const names = ['activeQ', 'backoffQ', 'unschedulable', 'gated'] as const;
  return (
    <section className="explainer-section explainer-queues" aria-label="Scheduling queue" data-testid="explainer-queues">
      <h3>kube-scheduler&apos;s queue</h3>
      <div className="queue-grid">
        {names
          .filter((q) => q !== 'gated' || queues.counts.gated > 0)
          .map((q) => (
            <div key={q} className="queue" data-testid="queue" data-queue={q} data-count={queues.counts[q]}>
              <h4 title={QUEUE_NOTE[q]}>
                {q} <span className="tab-count">{queues.counts[q]}</span>
              </h4>
              {queues.rows[q].length === 0 ? (
                <p className="muted queue-empty">empty</p>
              ) : (
                <ul>
                  {queues.rows[q].map((r) => (
                    <li key={r.pod} className={r.self ? 'self' : undefined} data-testid="queue-row" data-queue={q} data-pod={r.pod}>
                      <span className="mono">{r.pod}</span>
                      <span className="muted">
                        {r.attempts} attempt{r.attempts === 1 ? '' : 's'}
                        {r.backoffUntil !== undefined && ` · backoff until ${formatClock(r.backoffUntil)}`}
                        {r.flushAt !== undefined && ` · retried by ${formatClock(r.flushAt)}`}
                      </span>
                    </li>
                  ))}
                  {queues.counts[q] > queues.rows[q].length && <li className="muted">and {queues.counts[q] - queues.rows[q].length} more</li>}
                </ul>
              )}
            </div>
          ))}
      </div>
    </section>
  );
}

function Attempts({ attempts }: { attempts: ExplainerView['attempts'] }) {
  return (
    <section className="explainer-section" aria-label="Attempts recorded in Events">
      <h3>Every attempt, as the pod&apos;s Events record them</h3>
      <ul className="explainer-attempts">
        {attempts.map((a, i) => (
          <li key={i} data-testid="explainer-attempt" data-reason={a.reason} className={a.reason === 'FailedScheduling' ? 'warn' : undefined}>
            <span className="mono">{a.reason}</span>
            <span className="muted">
              {' '}
              {a.count > 1 ? `×${a.count}, ${formatClock(a.first)} .. ${formatClock(a.last)}` : formatClock(a.first)}
            </span>
            <span className="attempt-message">{a.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
