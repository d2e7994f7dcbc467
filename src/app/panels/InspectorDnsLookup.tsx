// The "DNS lookup" section of a Service's inspector: the Service's name asked
// from a pod, followed as CoreDNS and kube-proxy answer it (the chain from
// src/app/store/dns-lookup-view.ts): resolv.conf's search list, the query to
// 10.96.0.10, kube-proxy on the asking node, the CoreDNS pod that answers,
// the records, the endpoints and their pods. Every pod and node is a link.
// It follows the live cluster (the `dnsLookup` query): recomputed when etcd's
// revision moves (throttled), or when another name or pod is chosen.
import { memo, useId, useState } from 'react';
import { useSimQuery } from '../host/use-sim-query';
import { type ChainStep, type Part } from '../store/dns-lookup-view';
import { selectRevision } from '../store/selectors';
import { SelectLink } from './Inspector';
import { useThrottledStore } from './InspectorHooks';

export function InspectorDnsLookup({ namespace, name }: { namespace: string; name: string }) {
  const revision = useThrottledStore(selectRevision); // recompute when etcd moved
  const [asker, setAsker] = useState<string | undefined>(undefined);
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const view = useSimQuery('dnsLookup', [{ namespace, name }, { asker, name: asked }], revision)?.view;
  const nameId = useId();
  const askerId = useId();
  if (!view) return null;
  return (
    <section className="inspector-section dns-lookup" data-testid="dns-lookup" data-outcome={view.outcome ?? 'none'} aria-label="DNS lookup">
      <h3>DNS lookup</h3>
      {view.noClusterDns && (
        <p className="dns-lookup-warning" data-testid="dns-no-cluster-dns">
          This cluster has no kube-dns Service (the scenario turns on <code>spec.addons.dns</code> to install CoreDNS): lookups to 10.96.0.10 go nowhere.
        </p>
      )}
      <div className="dns-lookup-controls">
        <label htmlFor={nameId}>Name</label>
        <select id={nameId} data-testid="dns-name" value={view.name} onChange={(e) => setAsked(e.target.value)}>
          {view.names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <label htmlFor={askerId}>from</label>
        <select id={askerId} data-testid="dns-asker" value={view.asker?.key ?? ''} disabled={view.askers.length === 0} onChange={(e) => setAsker(e.target.value)}>
          {view.askers.length === 0 && <option value="">no Running pod</option>}
          {view.askers.map((a) => (
            <option key={a.key} value={a.key}>
              {a.namespace}/{a.name} ({a.node})
            </option>
          ))}
        </select>
      </div>
      <ol className="dns-chain" data-testid="dns-chain">
        {view.steps.map((s) => (
          <Step key={s.id} step={s} />
        ))}
      </ol>
    </section>
  );
}

const Step = memo(function Step({ step }: { step: ChainStep }) {
  return (
    <li className={`dns-step dns-step-${step.tone}`} data-testid="dns-step" data-step={step.id} data-tone={step.tone}>
      <span className="dns-step-label">{step.label}</span>
      <div className="dns-step-body">
        <div className="dns-step-line">
          <Parts parts={step.parts} />
        </div>
        {step.lines && step.lines.length > 0 && (
          <ul className="dns-step-lines">
            {step.lines.map((line, i) => (
              <li key={i}>
                <Parts parts={line} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
});

function Parts({ parts }: { parts: readonly Part[] }) {
  return (
    <>
      {parts.map((p, i) => {
        if (typeof p === 'string') return <span key={i}>{p}</span>;
        const text = p.mono ? <code>{p.text}</code> : p.text;
        return p.select ? (
          <SelectLink key={i} to={p.select} testId="dns-link">
            {text}
          </SelectLink>
        ) : (
          <span key={i}>{text}</span>
        );
      })}
    </>
  );
}
