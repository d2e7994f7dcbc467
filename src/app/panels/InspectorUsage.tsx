// The Usage section of a Node's or a Pod's inspector (issue 10 part 4b):
// CPU and memory as metrics-server reported them over the last 10 minutes
// (UsageChart.tsx), or one line saying why there is nothing to draw. It
// follows the live cluster (the `usage` query) by metrics-server's
// generation, which moves once per scrape round (every 15 simulated seconds)
// or when its process restarts: the view is recomputed then, not on every
// frame.
import { useSimQuery } from '../host/use-sim-query';
import type { ClusterViewState } from '../store/cluster-store';
import { useClusterStore } from '../store/store-context';
import { UsageChart } from './UsageChart';

/** "epoch:generation": changes when a rewind replaced the cluster or metrics-server stored a round. */
const selectMetricsVersion = (s: ClusterViewState) => `${s.clusterEpoch}:${s.metricsGeneration}`;

export function InspectorUsage({ objectKey }: { objectKey: string }) {
  const generation = useClusterStore(selectMetricsVersion); // recompute per round, not per frame
  const view = useSimQuery('usage', [objectKey], generation)?.view;
  if (!view) return null;
  return (
    <section className="inspector-section usage" data-testid="inspector-usage" data-state={view.state}>
      <h3>Usage</h3>
      {view.state === 'no-addon' && (
        <p className="none" data-testid="usage-hint">
          No usage: this scenario runs no metrics-server (<code>spec.addons.metricsServer</code>).
        </p>
      )}
      {view.state === 'waiting' && (
        <p className="none" data-testid="usage-hint">
          {view.text}
        </p>
      )}
      {view.state === 'charts' && (
        <div className="usage-charts">
          <UsageChart series={view.cpu} />
          <UsageChart series={view.memory} />
        </div>
      )}
    </section>
  );
}
