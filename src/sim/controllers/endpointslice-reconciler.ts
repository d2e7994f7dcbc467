// The EndpointSlice reconciler (staging/src/k8s.io/endpointslice/
// reconciler.go) as a pure plan: from a Service, its selected pods and its
// current slices, the slices to create, update and delete. Endpoints are
// grouped by the ports they expose and by address type; existing slices are
// kept and patched where they can be, filled up to maxEndpointsPerSlice
// (100), and new ones made only for what is left; a Service with no
// endpoints keeps one empty placeholder slice. Upstream pops endpoints from
// Go maps (random order); we take pods in name order and slices in name
// order, so the same state always gives the same slices.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import {
  addressTypesForService,
  endpointKey,
  endpointPorts,
  endpointsEqualBeyondKey,
  newEndpointSlice,
  ownedBy,
  podToEndpoint,
  portMapKey,
  shouldPodBeInEndpoints,
  sliceLabels,
  type AddressType,
} from './endpointslice-util';

/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface ReconcileInput {
  service: Service;
  /** The pods the Service selects, in a stable order. */
  pods: readonly Pod[];
  /** The Service's slices managed by this controller, not being deleted. */
  existing: readonly EndpointSlice[];
  node(name: string): Node | undefined;
  maxEndpointsPerSlice?: number;
}

export interface ReconcilePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Pods skipped because their node is unknown: the sync reports them and retries. */
  errors: string[];
}

/** An ordered endpoint set keyed like upstream's EndpointSet. */
type EndpointSet = Map<string, Endpoint>;

interface PortGroup {
  ports: EndpointPort[];
  endpoints: EndpointSet;
}

const clone = (s: EndpointSlice): EndpointSlice => ({ ...s, metadata: { ...s.metadata }, endpoints: [...(s.endpoints ?? [])] });

export function reconcile(input: ReconcileInput): ReconcilePlan {
  const svc = input.service;
  const max = input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  const plan: ReconcilePlan = { create: [], update: [], delete: [], errors: [] };
  const types = addressTypesForService(svc);
  const byType = new Map<AddressType, EndpointSlice[]>();
  for (const s of input.existing) {
    const t = s.addressType as AddressType;
    // The Service no longer has that IP family.
    if (!types.includes(t)) plan.delete.push(s);
    else byType.set(t, [...(byType.get(t) ?? []), s]);
  }
  for (const t of types) reconcileByAddressType(input, t, byType.get(t) ?? [], max, plan);
  return finalize(svc, plan);
}

function reconcileByAddressType(input: ReconcileInput, addressType: AddressType, existing: EndpointSlice[], max: number, plan: ReconcilePlan): void {
  const svc = input.service;
  const toDelete: EndpointSlice[] = [];
  const toCreate: EndpointSlice[] = [];
  const toUpdate: EndpointSlice[] = [];
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      toDelete.push(s);
      continue;
    }
    const k = portMapKey(s.ports);
    existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s]);
  }
  const desired = new Map<string, PortGroup>();
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod)) continue;
    const ports = endpointPorts(svc, pod);
    const k = portMapKey(ports);
    let group = desired.get(k);
    if (!group) desired.set(k, (group = { ports, endpoints: new Map() }));
    const nodeName = pod.spec?.nodeName ?? '';
    const node = input.node(nodeName);
    if (!node && !svc.spec?.publishNotReadyAddresses) {
      // The pod GC will remove a pod of a node that is gone; until then it is left out and the sync retried.
      plan.errors.push(`skipping Pod ${pod.metadata?.name} for Service ${svc.metadata?.namespace}/${svc.metadata?.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = podToEndpoint(pod, node, svc, addressType);
    if (ep.addresses.length) group.endpoints.set(endpointKey(ep), ep);
  }
  for (const [k, group] of desired) {
    const r = reconcileByPortMapping(svc, existingByPorts.get(k) ?? [], group, addressType, max);
    toCreate.push(...r.create);
    toUpdate.push(...r.update);
    toDelete.push(...r.delete);
  }
  for (const [k, slices] of existingByPorts) if (!desired.has(k)) toDelete.push(...slices);
  // No endpoints at all: keep (or make) one empty placeholder slice.
  if (existing.length === toDelete.length && toCreate.length === 0) {
    const placeholder = newEndpointSlice(svc, [], addressType);
    if (toDelete.length === 1 && isPlaceholderLike(toDelete[0], placeholder)) toDelete.length = 0;
    else toCreate.push(placeholder);
  }
  plan.create.push(...toCreate);
  plan.update.push(...toUpdate);
  plan.delete.push(...toDelete);
}

/** placeholderSliceCompare: same namespace, labels, owners and address type, no endpoints and no ports. */
function isPlaceholderLike(s: EndpointSlice, p: EndpointSlice): boolean {
  const la = s.metadata?.labels ?? {};
  const lb = p.metadata?.labels ?? {};
  const sameLabels = Object.keys(la).length === Object.keys(lb).length && Object.keys(la).every((k) => la[k] === lb[k]);
  const ownersOf = (x: EndpointSlice) => JSON.stringify(x.metadata?.ownerReferences ?? []);
  return (
    s.metadata?.namespace === p.metadata?.namespace &&
    sameLabels &&
    ownersOf(s) === ownersOf(p) &&
    s.addressType === p.addressType &&
    !(s.endpoints ?? []).length &&
    !(s.ports ?? []).length
  );
}

/**
 * reconcileByPortMapping: (1) drop endpoints no longer desired from existing
 * slices and refresh changed ones, (2) fill the slices already being
 * updated, fullest first, (3) put what is left into the unchanged slice it
 * fits best, or into new slices.
 */
function reconcileByPortMapping(svc: Service, existing: EndpointSlice[], group: PortGroup, addressType: AddressType, max: number) {
  const desired = group.endpoints;
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();
  for (const s of [...existing].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1))) {
    const name = s.metadata!.name!;
    byName.set(name, s);
    const kept: Endpoint[] = [];
    let changed = false;
    for (const ep of s.endpoints ?? []) {
      const k = endpointKey(ep);
      const want = desired.get(k);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, ep)) changed = true;
      desired.delete(k);
    }
    const { labels, changed: labelsChanged } = sliceLabels(s, svc);
    if (changed || kept.length !== (s.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.add(name);
      else {
        byName.set(name, { ...clone(s), endpoints: kept, metadata: { ...s.metadata, labels } });
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      byName.set(name, { ...clone(s), metadata: { ...s.metadata, labels } });
      toUpdate.add(name);
    } else unchanged.add(name);
  }
  const pop = (): Endpoint => {
    const [k, ep] = desired.entries().next().value as [string, Endpoint];
    desired.delete(k);
    return ep;
  };
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const s of slices) while (desired.size > 0 && s.endpoints!.length < max) s.endpoints!.push(pop());
  }
  const toCreate: EndpointSlice[] = [];
  while (desired.size > 0) {
    let fill: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      const found = sliceToFill(
        [...unchanged].map((n) => byName.get(n)!),
        desired.size,
        max,
      );
      if (found) {
        fill = clone(found);
        byName.set(fill.metadata!.name!, fill);
      }
    }
    fill ??= newEndpointSlice(svc, group.ports, addressType);
    while (desired.size > 0 && fill.endpoints!.length < max) fill.endpoints!.push(pop());
    if (fill.metadata?.name) {
      toUpdate.add(fill.metadata.name);
      unchanged.delete(fill.metadata.name);
    } else toCreate.push(fill);
  }
  return { create: toCreate, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!) };
}

/** getSliceToFill: the slice closest to full once `n` endpoints are added, if any has room. */
function sliceToFill(slices: EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let closest = max;
  let best: EndpointSlice | undefined;
  for (const s of slices) {
    const diff = max - (n + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closest) {
      closest = diff;
      best = s;
      if (diff === 0) return best;
    }
  }
  return best;
}

/** finalize: a create and a delete of the same kind become one update of the slice that would go. */
function finalize(svc: Service, plan: ReconcilePlan): ReconcilePlan {
  const create = [...plan.create];
  const update = [...plan.update];
  const del = [...plan.delete];
  for (let i = 0; i < del.length && create.length > 0; ) {
    const gone = del[i];
    const slice = create[create.length - 1];
    if (gone.addressType === slice.addressType && ownedBy(gone, svc)) {
      create.pop();
      update.push({ ...slice, metadata: { ...slice.metadata, name: gone.metadata!.name, generateName: gone.metadata?.generateName } });
      del.splice(i, 1);
    } else i++;
  }
  return { create, update, delete: del, errors: plan.errors };
}
