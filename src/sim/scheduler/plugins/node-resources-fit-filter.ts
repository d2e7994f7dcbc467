// NodeResourcesFit's Filter (upstream fit.go: fitsRequest and its PreFilter
// state): does the node have room for the pod's requests, node by node or
// over a batch straight from the node table's columns.
import type { Pod } from '../../api/types';
import type { NodeBatch } from '../framework/node-batch';
import { isExtendedResourceName, podRequests } from '../framework/resources';
import type { Status } from '../framework/status';
import { SUCCESS } from '../framework/status';
import type { NodeInfo, Resource, StateData } from '../framework/types';

/** The pod's request, and the scalar resources Filter must check (non-zero, not ignored), computed at PreFilter. */
export class FitPreFilterState implements StateData {
  constructor(
    readonly request: Resource,
    /** True when the pod requests nothing at all: only the pod count is checked. */
    readonly requestsNothing: boolean,
    readonly scalarNames: readonly string[],
    readonly scalarValues: readonly number[],
    readonly scalarReasons: readonly string[],
  ) {}
  clone(): StateData {
    return this;
  }
}

/** Builds FitPreFilterState as PreFilter does (exported for preemption what-ifs and tests). */
export function computeFitPreFilterState(pod: Pod, ignoredResources: ReadonlySet<string>, ignoredGroups: ReadonlySet<string>): FitPreFilterState {
  const request = podRequests(pod);
  const names: string[] = [];
  const values: number[] = [];
  const reasons: string[] = [];
  let scalarCount = 0;
  for (const name in request.scalar) {
    scalarCount++;
    const q = request.scalar[name];
    if (q === 0) continue;
    if (isExtendedResourceName(name)) {
      const group = ignoredGroups.size > 0 ? name.split('/')[0] : '';
      if (ignoredResources.has(name) || ignoredGroups.has(group)) continue;
    }
    names.push(name);
    values.push(q);
    reasons.push(`Insufficient ${name}`);
  }
  const nothing = request.milliCPU === 0 && request.memory === 0 && request.ephemeralStorage === 0 && scalarCount === 0;
  return new FitPreFilterState(request, nothing, names, values, reasons);
}

const REASON_PODS = 'Too many pods';
const REASON_CPU = 'Insufficient cpu';
const REASON_MEMORY = 'Insufficient memory';
const REASON_EPHEMERAL = 'Insufficient ephemeral-storage';
const BIT_PODS = 1;
const BIT_CPU = 2;
const BIT_MEMORY = 4;
const BIT_EPHEMERAL = 8;
const BIT_UNRESOLVABLE = 16;

/** Statuses for the common failures (no scalar resource short), shared: a full cluster fails most nodes every cycle. */
const statusCache = new Map<number, Status>();
function builtinStatus(mask: number): Status {
  let s = statusCache.get(mask);
  if (!s) {
    const reasons: string[] = [];
    if (mask & BIT_PODS) reasons.push(REASON_PODS);
    if (mask & BIT_CPU) reasons.push(REASON_CPU);
    if (mask & BIT_MEMORY) reasons.push(REASON_MEMORY);
    if (mask & BIT_EPHEMERAL) reasons.push(REASON_EPHEMERAL);
    s = { code: mask & BIT_UNRESOLVABLE ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons: Object.freeze(reasons) };
    statusCache.set(mask, s);
  }
  return s;
}

/**
 * fitsRequest: the pod count, then cpu, memory, ephemeral-storage and each
 * scalar resource the pod requests, against allocatable minus requested.
 * Unresolvable (preemption cannot help) when a request exceeds the node's whole allocatable.
 */
export function fitsRequest(s: FitPreFilterState, nodeInfo: NodeInfo): Status {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const req = s.request;
  let mask = 0;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) mask |= BIT_PODS;
  if (s.requestsNothing) return mask ? builtinStatus(mask) : SUCCESS;

  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    mask |= BIT_CPU;
    if (req.milliCPU > alloc.milliCPU) mask |= BIT_UNRESOLVABLE;
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    mask |= BIT_MEMORY;
    if (req.memory > alloc.memory) mask |= BIT_UNRESOLVABLE;
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    mask |= BIT_EPHEMERAL;
    if (req.ephemeralStorage > alloc.ephemeralStorage) mask |= BIT_UNRESOLVABLE;
  }
  let scalarReasons: string[] | undefined;
  const names = s.scalarNames;
  for (let i = 0; i < names.length; i++) {
    const a = alloc.scalar[names[i]] ?? 0;
    const q = s.scalarValues[i];
    if (q > a - (used.scalar[names[i]] ?? 0)) {
      (scalarReasons ??= []).push(s.scalarReasons[i]);
      if (q > a) mask |= BIT_UNRESOLVABLE;
    }
  }
  if (!scalarReasons) return mask ? builtinStatus(mask) : SUCCESS;
  const base = builtinStatus(mask);
  return { code: mask & BIT_UNRESOLVABLE ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons: [...base.reasons, ...scalarReasons] };
}

/**
 * fitsRequest over a batch, from the table's columns: a rejection into
 * out[k] for each node not yet rejected. A pod requesting scalar resources
 * is checked through each NodeInfo (they are not in the table). Returns how
 * many nodes it rejected.
 */
export function fitsRequestNodes(s: FitPreFilterState, batch: NodeBatch, out: (Status | undefined)[]): number {
  const t = batch.table;
  const { slots, count } = batch;
  let rejected = 0;
  if (s.scalarNames.length) {
    for (let k = 0; k < count; k++) {
      if (out[k] !== undefined) continue;
      const st = fitsRequest(s, t.infos[slots[k]]!);
      if (st.code !== 'Success') {
        out[k] = st;
        rejected++;
      }
    }
    return rejected;
  }
  const { milliCPU, memory, ephemeralStorage } = s.request;
  const { podCount, allocPods, allocCpu, allocMem, allocEph, reqCpu, reqMem, reqEph } = t;
  for (let k = 0; k < count; k++) {
    if (out[k] !== undefined) continue;
    const slot = slots[k];
    let mask = 0;
    if (podCount[slot] + 1 > allocPods[slot]) mask |= BIT_PODS;
    if (!s.requestsNothing) {
      if (milliCPU > 0 && milliCPU > allocCpu[slot] - reqCpu[slot]) {
        mask |= BIT_CPU;
        if (milliCPU > allocCpu[slot]) mask |= BIT_UNRESOLVABLE;
      }
      if (memory > 0 && memory > allocMem[slot] - reqMem[slot]) {
        mask |= BIT_MEMORY;
        if (memory > allocMem[slot]) mask |= BIT_UNRESOLVABLE;
      }
      if (ephemeralStorage > 0 && ephemeralStorage > allocEph[slot] - reqEph[slot]) {
        mask |= BIT_EPHEMERAL;
        if (ephemeralStorage > allocEph[slot]) mask |= BIT_UNRESOLVABLE;
      }
    }
    if (mask) {
      out[k] = builtinStatus(mask);
      rejected++;
    }
  }
  return rejected;
}
