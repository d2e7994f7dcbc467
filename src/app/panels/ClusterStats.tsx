import { useClusterStore } from '../store/store-context';
import { selectCounts, selectMessageCount, selectRevision } from '../store/selectors';
import { Panel } from './Panel';

/** The cluster at a glance: nodes ready, pods running, pods waiting for a node, etcd revision, messages sent. */
export function ClusterStats() {
  // Counted as the rows change (object-feed.ts), not here per frame.
  const { nodes, nodesReady, pods, podsRunning, podsPending } = useClusterStore(selectCounts);
  const revision = useClusterStore(selectRevision);
  const messages = useClusterStore(selectMessageCount);
  return (
    <Panel title="Cluster" testId="stats-panel">
      <dl className="stats">
        <Stat label="nodes ready" value={`${nodesReady}/${nodes}`} tone={nodesReady === nodes ? 'ok' : 'bad'} testId="stat-nodes" />
        <Stat label="pods running" value={`${podsRunning}/${pods}`} tone={podsRunning === pods ? 'ok' : 'warn'} testId="stat-pods" />
        <Stat label="pods pending" value={String(podsPending)} tone={podsPending > 0 ? 'warn' : undefined} testId="stat-pending" />
        <Stat label="etcd revision" value={String(revision)} testId="stat-revision" />
        <Stat label="wire messages" value={messages.toLocaleString('en-US')} testId="stat-messages" />
      </dl>
    </Panel>
  );
}

function Stat({ label, value, tone, testId }: { label: string; value: string; tone?: 'ok' | 'warn' | 'bad'; testId: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <dt>{label}</dt>
      <dd className={tone ? `status-${tone}` : undefined}>{value}</dd>
    </div>
  );
}
