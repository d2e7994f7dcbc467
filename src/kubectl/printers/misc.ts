// kubectl get events, namespaces, leases and priorityclasses: printEvent,
// printNamespace, printLease and printPriorityClass in
// pkg/printers/internalversion/printers.go.
import type { Event, Namespace } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { KubeObject } from '../../sim/api/types';
import { since } from '../humanize';
import { col, nameCol, type PrintContext, type TableDef } from './table';

/** formatEventSource: "kubelet, node-1", falling back to the reporting controller and instance. */
export function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventTable: TableDef = {
  columns: [
    col('Last Seen'),
    col('Type'),
    col('Reason'),
    col('Object'),
    col('Subobject', { priority: 1 }),
    col('Source', { priority: 1 }),
    col('Message'),
    col('First Seen', { priority: 1 }),
    col('Count', { priority: 1 }),
    col('Name', { priority: 1, isName: true }),
  ],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const e = obj as unknown as Event;
    const first = e.firstTimestamp ? since(e.firstTimestamp, ctx.now) : since(e.eventTime, ctx.now);
    let last = e.lastTimestamp ? since(e.lastTimestamp, ctx.now) : first;
    let count = e.count ?? 0;
    if (e.series) {
      last = since(e.series.lastObservedTime, ctx.now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1;
    const inv = e.involvedObject ?? {};
    const target = inv.name ? `${(inv.kind ?? '').toLowerCase()}/${inv.name}` : (inv.kind ?? '').toLowerCase();
    const message = (e.message ?? '').trim();
    if (!ctx.wide) return [last, e.type ?? '', e.reason ?? '', target, message];
    return [last, e.type ?? '', e.reason ?? '', target, inv.fieldPath ?? '', eventSource(e), message, first, String(count), e.metadata?.name ?? ''];
  },
};

export const namespaceTable: TableDef = {
  columns: [nameCol, col('Status'), col('Age')],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const ns = obj as unknown as Namespace;
    return [ns.metadata?.name ?? '', ns.status?.phase ?? '', since(ns.metadata?.creationTimestamp, ctx.now)];
  },
};

export const leaseTable: TableDef = {
  columns: [nameCol, col('Holder'), col('Age')],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const l = obj as unknown as Lease;
    return [l.metadata?.name ?? '', l.spec?.holderIdentity ?? '', since(l.metadata?.creationTimestamp, ctx.now)];
  },
};

export const priorityClassTable: TableDef = {
  columns: [nameCol, col('Value'), col('Global-Default'), col('Age'), col('PreemptionPolicy', { priority: 1 })],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const pc = obj as unknown as PriorityClass;
    const cells = [pc.metadata?.name ?? '', String(pc.value ?? 0), String(pc.globalDefault ?? false), since(pc.metadata?.creationTimestamp, ctx.now)];
    return ctx.wide ? [...cells, pc.preemptionPolicy ?? ''] : cells;
  },
};
