// The cloud box's view (cloud-view.ts), read from the live simulation by the
// `cloudSummary` query (src/app/host/queries.ts): its Services from etcd and
// the cloud's own view (cluster.cloud.view(), with spec.cloud). The cloud's
// health checks move on its own timers, so the view follows the clock as well
// as etcd's revision, at most every VIEW_REFRESH_MS while the cluster runs,
// and every action; it stays the same object while nothing shown changed.
import { useMemo, useRef } from 'react';
import { useSimQuery } from '../host/use-sim-query';
import { useThrottledStore } from '../panels/InspectorHooks';
import { selectActions, selectNow, selectRevision } from '../store/selectors';
import { useClusterStore } from '../store/store-context';
import { cloudSummary, sameSummary, type CloudSummary } from './cloud-view';

/** Before the first answer (the simulation in the worker): an empty cloud, as a cluster with nothing loaded showed. */
const NOTHING = cloudSummary([], undefined);

export function useCloudSummary(): CloudSummary {
  const now = useThrottledStore(selectNow);
  const revision = useThrottledStore(selectRevision);
  // An action (deleteMachine, powerOff) changes the cloud at once, with neither the clock nor etcd moving.
  const actions = useClusterStore(selectActions);
  const version = useMemo(() => [now, revision, actions], [now, revision, actions]);
  const next = useSimQuery('cloudSummary', [], version) ?? NOTHING;
  const shown = useRef<CloudSummary | null>(null);
  return useMemo(() => {
    if (shown.current && sameSummary(shown.current, next)) return shown.current;
    shown.current = next;
    return next;
  }, [next]);
}
