// The cloud box's view (cloud-view.ts), read from the live simulation: its
// Services from etcd and the cloud's own view (cluster.cloud.view(), with
// spec.cloud). The cloud's health checks move on its own timers, so the view
// follows the clock as well as etcd's revision, at most every VIEW_REFRESH_MS
// while the cluster runs, and every action; it stays the same object while
// nothing shown changed.
import type { Service } from 'kubernetes-types/core/v1';
import { useMemo, useRef } from 'react';
import { useThrottledStore } from '../panels/InspectorHooks';
import { selectActions, selectNow, selectRevision } from '../store/selectors';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { cloudSummary, sameSummary, type CloudSummary } from './cloud-view';

export function useCloudSummary(): CloudSummary {
  const store = useClusterStoreApi();
  const now = useThrottledStore(selectNow);
  const revision = useThrottledStore(selectRevision);
  // An action (deleteMachine, powerOff) changes the cloud at once, with neither the clock nor etcd moving.
  const actions = useClusterStore(selectActions);
  const cluster = store.cluster;
  const shown = useRef<CloudSummary | null>(null);
  return useMemo(() => {
    void now;
    void revision;
    void actions;
    const services = cluster ? [...cluster.etcd.store.range('/registry/services/')].map((kv) => kv.value as Service) : [];
    const next = cloudSummary(services, cluster?.cloud?.view());
    if (shown.current && sameSummary(shown.current, next)) return shown.current;
    shown.current = next;
    return next;
  }, [cluster, now, revision, actions]);
}
