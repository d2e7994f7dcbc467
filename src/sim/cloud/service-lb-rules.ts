// The service controller's pure rules, after upstream
// staging/src/k8s.io/cloud-provider/controllers/service/controller.go
// (v1.30-1.34): which Services want a cloud load balancer, which changes
// call for a new EnsureLoadBalancer, and which Nodes a load balancer keeps.
//
// Since v1.30 (StableLoadBalancerNodeSet, GA) the backends are the
// stableNodeSetPredicates: every Node not being deleted, not labelled
// node.kubernetes.io/exclude-from-external-load-balancers and not tainted
// ToBeDeletedByClusterAutoscaler. Readiness is not among them: a NotReady
// node stays a backend (the load balancer's own health check stops sending
// it traffic, and connections drain), and only a deleted Node leaves. Node
// updates only trigger a sync when the exclusion label's verdict or the
// providerID changes.
import type { Node, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { LoadBalancerIngress, LoadBalancerStatus } from './cloud-api';

/** servicehelper.LoadBalancerCleanupFinalizer. */
export const LOAD_BALANCER_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
/** v1.LabelNodeExcludeBalancers. */
export const LABEL_EXCLUDE_BALANCERS = 'node.kubernetes.io/exclude-from-external-load-balancers';
/** ToBeDeletedTaint: the cluster autoscaler's mark on a node it is about to remove. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';
/** maxNodeNamesToLog. */
const MAX_NODE_NAMES_TO_LOG = 20;

/** wantsLoadBalancer: type LoadBalancer and no loadBalancerClass (a class means another implementation). */
export const wantsLoadBalancer = (svc: Service): boolean => svc.spec?.type === 'LoadBalancer' && svc.spec?.loadBalancerClass == null;

export const hasLBFinalizer = (svc: Service): boolean => (svc.metadata?.finalizers ?? []).includes(LOAD_BALANCER_CLEANUP_FINALIZER);

/** needsCleanup: the finalizer is there and the Service is going, or no longer of type LoadBalancer. */
export function needsCleanup(svc: Service): boolean {
  if (!hasLBFinalizer(svc)) return false;
  return svc.metadata?.deletionTimestamp != null || svc.spec?.type !== 'LoadBalancer';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function portEqualForLB(x: ServicePort, y: ServicePort): boolean {
  return (
    (x.name ?? '') === (y.name ?? '') &&
    x.protocol === y.protocol &&
    x.port === y.port &&
    (x.nodePort ?? 0) === (y.nodePort ?? 0) &&
    same(x.targetPort, y.targetPort) &&
    same(x.appProtocol, y.appProtocol)
  );
}

/** needsUpdate: a change the load balancer has to follow. */
export function needsUpdate(old: Service, cur: Service): boolean {
  const wantOld = wantsLoadBalancer(old);
  const wantCur = wantsLoadBalancer(cur);
  if (!wantOld && !wantCur) return false;
  if (wantOld !== wantCur) return true;
  const o = old.spec ?? {};
  const c = cur.spec ?? {};
  if (!same(o.loadBalancerSourceRanges, c.loadBalancerSourceRanges)) return true;
  const op = o.ports ?? [];
  const cp = c.ports ?? [];
  if (op.length !== cp.length || op.some((p, i) => !portEqualForLB(p, cp[i])) || o.sessionAffinity !== c.sessionAffinity) return true;
  if (!same(o.sessionAffinityConfig, c.sessionAffinityConfig)) return true;
  if ((o.loadBalancerIP ?? '') !== (c.loadBalancerIP ?? '')) return true;
  if (!same(o.externalIPs ?? [], c.externalIPs ?? [])) return true;
  if (!same(old.metadata?.annotations, cur.metadata?.annotations)) return true;
  if (old.metadata?.uid !== cur.metadata?.uid) return true;
  if (o.externalTrafficPolicy !== c.externalTrafficPolicy) return true;
  if ((o.healthCheckNodePort ?? 0) !== (c.healthCheckNodePort ?? 0)) return true;
  return (o.ipFamilies?.length ?? 0) !== (c.ipFamilies?.length ?? 0);
}

/** nodeIncludedPredicate: the exclusion label, unless its value parses as false. */
export function nodeIncluded(node: Node): boolean {
  const v = node.metadata?.labels?.[LABEL_EXCLUDE_BALANCERS];
  if (v === undefined) return true;
  const parsed = parseGoBool(v);
  return parsed === undefined ? false : !parsed;
}

/** strconv.ParseBool. */
function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** stableNodeSetPredicates: not being deleted, included, not about to be removed by the autoscaler. */
export function inStableNodeSet(node: Node): boolean {
  if (node.metadata?.deletionTimestamp) return false;
  if (!nodeIncluded(node)) return false;
  return !(node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT);
}

/** shouldSyncUpdatedNode. */
export const shouldSyncUpdatedNode = (old: Node, cur: Node): boolean => nodeIncluded(old) !== nodeIncluded(cur) || (old.spec?.providerID ?? '') !== (cur.spec?.providerID ?? '');

/** nodesSufficientlyEqual: the same node names with the same providerIDs. */
export function nodesSufficientlyEqual(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length !== b.length) return false;
  const m = new Map(a.map((n) => [n.metadata!.name!, n.spec?.providerID ?? '']));
  if (m.size !== new Set(b.map((n) => n.metadata!.name!)).size) return false;
  return b.every((n) => m.has(n.metadata!.name!) && m.get(n.metadata!.name!) === (n.spec?.providerID ?? ''));
}

/** loggableNodeNames, printed as Go prints a []string: "[node-1 node-2]", at most 20 names and "<N more>". */
export function loggableNodeNames(nodes: readonly Node[]): string {
  const names = [...new Set(nodes.slice(0, MAX_NODE_NAMES_TO_LOG).map((n) => n.metadata!.name!))].sort();
  if (nodes.length > MAX_NODE_NAMES_TO_LOG) names.push(`<${nodes.length - MAX_NODE_NAMES_TO_LOG} more>`);
  return `[${names.join(' ')}]`;
}

/** servicehelper.LoadBalancerStatusEqual: the same ingress points in the same order. */
export function loadBalancerStatusEqual(a: LoadBalancerStatus | undefined, b: LoadBalancerStatus | undefined): boolean {
  const ia: LoadBalancerIngress[] = a?.ingress ?? [];
  const ib: LoadBalancerIngress[] = b?.ingress ?? [];
  return ia.length === ib.length && ia.every((x, i) => same(normalize(x), normalize(ib[i])));
}

const normalize = (i: LoadBalancerIngress) => ({ ip: i.ip ?? '', hostname: i.hostname ?? '', ipMode: i.ipMode ?? '' });
