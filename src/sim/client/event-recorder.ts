// client-go's EventRecorder, as components use it: an Event about an
// object, and the same event again (same object, reason and message) only
// bumps the first one's count and lastTimestamp, as the recorder's
// correlator aggregates repeats.
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Kernel } from '../kernel/kernel';
import { timestamp } from '../kernel/time';

export type EventType = 'Normal' | 'Warning';

/** Who reports: `component` is the Event's source.component (e.g. "default-scheduler", "kubelet"). */
export interface EventSource {
  component: string;
  /** source.host: the node, for node agents. */
  host?: string;
}

interface Seen {
  name: string;
  count: number;
}

export class EventRecorder {
  private seen = new Map<string, Seen>();

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    private readonly source: EventSource,
  ) {}

  event(obj: KubeObject | { apiVersion?: string; kind?: string; metadata?: KubeObject['metadata'] }, type: EventType, reason: string, message: string): void {
    const m = obj.metadata ?? {};
    const namespace = m.namespace || 'default';
    const k = `${obj.kind}/${namespace}/${m.name}/${reason}/${message}`;
    const now = timestamp(this.kernel.now);
    const seen = this.seen.get(k);
    if (seen) {
      seen.count++;
      const r = this.client.patch('Event', namespace, seen.name, { count: seen.count, lastTimestamp: now });
      if (r.ok) return;
      this.seen.delete(k);
    }
    // Upstream names events <object>.<hex of the timestamp in ns>; a seeded id keeps them unique and repeatable.
    // Its first 16 hex digits, around the dashes at 8 and 13 (slices: no regex per event).
    const uid = this.kernel.ids.uid();
    const name = `${m.name}.${uid.slice(0, 8)}${uid.slice(9, 13)}${uid.slice(14, 18)}`;
    const r = this.client.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion },
      reason,
      message,
      type,
      source: this.source.host ? { component: this.source.component, host: this.source.host } : { component: this.source.component },
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? this.source.component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    if (r.ok) this.seen.set(k, { name, count: 1 });
  }
}
