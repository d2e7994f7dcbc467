// The Usage section of a Node's or a Pod's inspector (issue 10 part 4b):
// CPU and memory as metrics-server reported them over the last 10 minutes
// (UsageChart.tsx), or one line saying why there is nothing to draw. It
// follows the live cluster by metrics-server's generation, which moves once
// per scrape round (every 15 simulated seconds) or when its process
// restarts: the view is recomputed then, not on every frame.
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { Cluster } from '../../sim/cluster';
import { useClusterStoreApi } from '../store/store-context';
import { usageView } from '../store/usage-view';
import { UsageChart } from './UsageChart';

const clusterIds = new WeakMap<Cluster, number>();
let lastClusterId = 0;

/** "cluster:generation": changes when a rewind replaced the cluster or metrics-server stored a round. */
function useMetricsGeneration(): string {
  const store = useClusterStoreApi();
  const snapshot = useCallback(() => {
    const c = store.cluster;
    if (!c) return 'none';
    let id = clusterIds.get(c);
    if (id === undefined) clusterIds.set(c, (id = ++lastClusterId));
    return `${id}:${c.metrics?.generation ?? 'off'}`;
  }, [store]);
  return useSyncExternalStore(store.subscribe, snapshot);
}

export function InspectorUsage({ objectKey }: { objectKey: string }) {
  const store = useClusterStoreApi();
  const generation = useMetricsGeneration();
  const view = useMemo(() => {
    void generation; // recompute per round, not per frame
    return store.cluster ? usageView(store.cluster, objectKey) : null;
  }, [store, objectKey, generation]);
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
