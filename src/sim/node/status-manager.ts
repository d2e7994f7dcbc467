// The kubelet's status manager (pkg/kubelet/status/status_manager.go): the
// pod workers say "this pod's status may have changed"; the manager works
// the status out once per instant per node and writes it only when it
// differs from what the apiserver holds. Writes that fail (apiserver down,
// node cut off) are retried by the periodic sync (every 10 s), as
// syncBatch does. A pod that was deleted and whose containers have all
// stopped is then deleted for good (grace period 0, with its uid as
// precondition): that is how pods really leave etcd.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import { semanticEqual } from '../api/validation/equal';
import type { ApiClient } from '../apiserver/apiserver';
import type { Kernel, Timer } from '../kernel/kernel';
import { rvOf, type PodRecord } from './pod-record';

/** syncBatch's period. */
export const STATUS_SYNC_PERIOD_MS = 10_000;

export class StatusManager {
  private readonly dirty = new Set<PodRecord>();
  private flushTimer?: Timer;
  private retryTimer?: Timer;
  private active = true;
  writes = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    /** The status the kubelet wants for a pod now; undefined: nothing to report. */
    private readonly desired: (rec: PodRecord) => PodStatus | undefined,
    /** Called when the kubelet deleted a finished pod from the apiserver. */
    private readonly onDeleted: (rec: PodRecord) => void,
  ) {}

  /** The status of `rec` may have changed: write it at the end of this instant. */
  mark(rec: PodRecord): void {
    if (!this.active) return;
    this.dirty.add(rec);
    if (this.flushTimer) return;
    this.flushTimer = this.kernel.after(0, 'kubelet.status', () => {
      this.flushTimer = undefined;
      this.flush();
    });
  }

  /** The process stopped: what it had not written is lost. */
  stop(): void {
    this.active = false;
    this.dirty.clear();
    if (this.flushTimer) this.kernel.cancel(this.flushTimer);
    if (this.retryTimer) this.kernel.cancel(this.retryTimer);
    this.flushTimer = this.retryTimer = undefined;
  }

  start(): void {
    this.active = true;
  }

  private flush(): void {
    const batch = [...this.dirty];
    this.dirty.clear();
    let failed = false;
    for (const rec of batch) if (!this.sync(rec)) failed = true;
    if (failed && !this.retryTimer)
      this.retryTimer = this.kernel.after(STATUS_SYNC_PERIOD_MS, 'kubelet.status.retry', () => {
        this.retryTimer = undefined;
        if (this.dirty.size) this.flush();
      });
  }

  /** True when the pod is as it should be on the apiserver; false to retry later. */
  private sync(rec: PodRecord): boolean {
    if (rec.gone) return true;
    const status = this.desired(rec);
    if (status && !semanticEqual(status, rec.pod.status)) {
      if (!this.write(rec, status)) {
        this.dirty.add(rec);
        return false;
      }
    }
    if (rec.terminated && rec.pod.metadata?.deletionTimestamp && !rec.deleteSent) {
      const m = rec.pod.metadata;
      const r = this.client.delete('Pod', m.namespace, m.name!, { gracePeriodSeconds: 0, preconditions: { uid: rec.uid } });
      if (!r.ok && r.status.code !== 404 && r.status.code !== 409) {
        this.dirty.add(rec);
        return false;
      }
      rec.deleteSent = true;
      this.onDeleted(rec);
    }
    return true;
  }

  private write(rec: PodRecord, status: PodStatus): boolean {
    const base = rec.pod;
    const r = this.client.updateStatus({ ...(base as KubeObject), status });
    if (r.ok) {
      this.writes++;
      if (rvOf(r.object as Pod) > rvOf(rec.pod)) rec.pod = r.object as Pod;
      return true;
    }
    if (r.status.code === 404) {
      rec.gone = true;
      return true;
    }
    if (r.status.code !== 409) return false;
    // Someone else wrote the pod since our copy: read it, make sure it is still ours, and try once more.
    const fresh = this.client.get('Pod', base.metadata!.namespace, base.metadata!.name!);
    if (!fresh.ok) return fresh.status.code === 404 ? ((rec.gone = true), true) : false;
    if (fresh.object.metadata.uid !== rec.uid) {
      rec.gone = true;
      return true;
    }
    rec.pod = fresh.object as Pod;
    const again = this.desired(rec);
    if (!again || semanticEqual(again, rec.pod.status)) return true;
    const r2 = this.client.updateStatus({ ...(rec.pod as KubeObject), status: again });
    if (r2.ok) {
      this.writes++;
      rec.pod = r2.object as Pod;
    }
    return r2.ok;
  }
}
