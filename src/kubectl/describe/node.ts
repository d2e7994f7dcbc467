// kubectl describe node: describeNode and describeNodeResource in
// staging/src/k8s.io/kubectl/pkg/describe/describe.go. Percentages are of
// allocatable, truncated as int64(float) truncates.
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { addQuantity, formatQuantity, milliValue, parseQuantity, tryParseQuantity, value as quantityValue, type Quantity } from '../../sim/api/quantity';
import type { KubeObject } from '../../sim/api/types';
import { byString, rfc1123z, since } from '../humanize';
import { nodeRoles } from '../printers/node';
import { annotationsMultiline, eventsSection, labelsMultiline, taintsMultiline } from './sections';
import { describeText, LEVEL_0, LEVEL_1 } from './writer';

type Amounts = Map<string, Quantity>;

function addInto(into: Amounts, list: Record<string, string> | undefined): void {
  for (const [name, s] of Object.entries(list ?? {})) {
    const q = tryParseQuantity(s);
    if (!q) continue;
    const cur = into.get(name);
    into.set(name, cur ? addQuantity(cur, q) : q);
  }
}

function maxInto(into: Amounts, list: Record<string, string> | undefined): void {
  for (const [name, s] of Object.entries(list ?? {})) {
    const q = tryParseQuantity(s);
    if (!q) continue;
    const cur = into.get(name);
    if (!cur || q.milli > cur.milli) into.set(name, q);
  }
}

/** resourcehelper.PodRequestsAndLimits: containers summed, the largest init container if larger, plus overhead. */
export function podRequestsAndLimits(pod: Pod): { requests: Amounts; limits: Amounts } {
  const requests: Amounts = new Map();
  const limits: Amounts = new Map();
  for (const c of pod.spec?.containers ?? []) {
    addInto(requests, c.resources?.requests);
    addInto(limits, c.resources?.limits);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addInto(requests, c.resources?.requests);
      addInto(limits, c.resources?.limits);
    } else {
      maxInto(requests, c.resources?.requests);
      maxInto(limits, c.resources?.limits);
    }
  }
  addInto(requests, pod.spec?.overhead);
  addInto(limits, pod.spec?.overhead);
  return { requests, limits };
}

const ZERO: Quantity = parseQuantity('0');
const show = (q: Quantity | undefined): string => formatQuantity(q ?? ZERO);
const pct = (part: number, whole: number): number => (whole === 0 ? 0 : Math.trunc((part / whole) * 100));

export interface NodeDescribeInput {
  node: KubeObject;
  /** Pods bound to the node that have not finished. */
  pods: readonly KubeObject[];
  lease?: KubeObject;
  events: readonly Event[] | undefined;
  now: number;
}

export function describeNode({ node: obj, pods, lease: leaseObj, events, now }: NodeDescribeInput): string {
  const node = obj as unknown as Node;
  const lease = leaseObj as unknown as Lease | undefined;
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${node.metadata?.name}\n`);
    w.write(LEVEL_0, `Roles:\t${nodeRoles(node).join(',') || '<none>'}\n`);
    labelsMultiline(w, 'Labels', node.metadata?.labels);
    annotationsMultiline(w, 'Annotations', node.metadata?.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}\n`);
    taintsMultiline(w, 'Taints', node.spec?.taints);
    w.write(LEVEL_0, `Unschedulable:\t${node.spec?.unschedulable ?? false}\n`);
    if (lease) {
      w.write(LEVEL_0, 'Lease:\n');
      w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
      w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
      w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
    } else {
      w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io ${JSON.stringify(node.metadata?.name)} not found\n`);
    }
    const conditions = node.status?.conditions ?? [];
    if (conditions.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conditions)
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of node.status?.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
    for (const [title, list] of [
      ['Capacity', node.status?.capacity],
      ['Allocatable', node.status?.allocatable],
    ] as const) {
      const names = Object.keys(list ?? {}).sort(byString);
      if (names.length === 0) continue;
      w.write(LEVEL_0, `${title}:\n`);
      for (const n of names) w.write(LEVEL_0, `  ${n}:\t${show(tryParseQuantity(list![n]))}\n`);
    }
    const info = node.status?.nodeInfo;
    w.write(LEVEL_0, 'System Info:\n');
    w.write(LEVEL_0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
    w.write(LEVEL_0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
    w.write(LEVEL_0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
    w.write(LEVEL_0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
    w.write(LEVEL_0, `  OS Image:\t${info?.osImage ?? ''}\n`);
    w.write(LEVEL_0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
    w.write(LEVEL_0, `  Architecture:\t${info?.architecture ?? ''}\n`);
    w.write(LEVEL_0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
    if (node.spec?.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
    if (node.spec?.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
    if (node.spec?.providerID) w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);

    const alloc = Object.keys(node.status?.allocatable ?? {}).length ? node.status!.allocatable! : (node.status?.capacity ?? {});
    const allocMilli = (name: string) => milliValue(tryParseQuantity(alloc[name] ?? '0') ?? ZERO);
    const allocValue = (name: string) => quantityValue(tryParseQuantity(alloc[name] ?? '0') ?? ZERO);
    w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
    w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
    w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
    const total = { requests: new Map<string, Quantity>(), limits: new Map<string, Quantity>() };
    for (const p of pods) {
      const pod = p as unknown as Pod;
      const { requests, limits } = podRequestsAndLimits(pod);
      for (const [k, q] of requests) total.requests.set(k, total.requests.has(k) ? addQuantity(total.requests.get(k)!, q) : q);
      for (const [k, q] of limits) total.limits.set(k, total.limits.has(k) ? addQuantity(total.limits.get(k)!, q) : q);
      const cpuR = requests.get('cpu');
      const cpuL = limits.get('cpu');
      const memR = requests.get('memory');
      const memL = limits.get('memory');
      w.write(
        LEVEL_1,
        `${pod.metadata?.namespace}\t${pod.metadata?.name}\t\t${show(cpuR)} (${pct(milliValue(cpuR ?? ZERO), allocMilli('cpu'))}%)\t${show(cpuL)} (${pct(milliValue(cpuL ?? ZERO), allocMilli('cpu'))}%)\t${show(memR)} (${pct(quantityValue(memR ?? ZERO), allocValue('memory'))}%)\t${show(memL)} (${pct(quantityValue(memL ?? ZERO), allocValue('memory'))}%)\t${since(pod.metadata?.creationTimestamp, now)}\n`,
      );
    }
    w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
    w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
    w.write(LEVEL_1, '--------\t--------\t------\n');
    const line = (name: string, milli: boolean) => {
      const r = total.requests.get(name);
      const l = total.limits.get(name);
      const of = (q: Quantity | undefined) => (milli ? pct(milliValue(q ?? ZERO), allocMilli(name)) : pct(quantityValue(q ?? ZERO), allocValue(name)));
      w.write(LEVEL_1, `${name}\t${show(r)} (${of(r)}%)\t${show(l)} (${of(l)}%)\n`);
    };
    line('cpu', true);
    line('memory', false);
    line('ephemeral-storage', false);
    eventsSection(w, events, now);
  });
}
