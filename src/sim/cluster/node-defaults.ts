// What a Node looks like once its kubelet has registered and reported:
// capacity (4 cpu, 16Gi, 110 pods unless the manifest says), conditions,
// addresses and nodeInfo. Scenario nodes start as running, Ready machines.
import type { Node } from '../api/types';
import { TAINT_NODE_NOT_READY } from '../api/taints';
import { timestamp } from '../kernel/time';

export const DEFAULT_CAPACITY = { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' };

export const KUBELET_VERSION = 'v1.34.0';

/** A Node with the status a healthy kubelet would have posted at time `now`. */
export function registeredNode(node: Node, index: number, now: number): Node {
  const name = node.metadata!.name!;
  const status = node.status ?? {};
  const capacity = { ...DEFAULT_CAPACITY, ...(status.capacity ?? {}) };
  const allocatable = { ...capacity, ...(status.allocatable ?? {}) };
  const at = timestamp(now);
  const condition = (type: string, st: string, reason: string, message: string) => ({
    type,
    status: st,
    lastHeartbeatTime: at,
    lastTransitionTime: at,
    reason,
    message,
  });
  return {
    ...node,
    metadata: {
      ...node.metadata,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...(node.metadata?.labels ?? {}),
      },
    },
    status: {
      ...status,
      capacity,
      allocatable,
      conditions: status.conditions ?? [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: status.addresses ?? [
        { type: 'InternalIP', address: nodeIp(index) },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: status.nodeInfo ?? {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-27-amd64',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
      daemonEndpoints: status.daemonEndpoints ?? { kubeletEndpoint: { Port: 10250 } },
    },
  };
}

/** Node addresses from 10.0.0.0/16 upward: 10.0.1.1 for the first worker. */
export function nodeIp(index: number): string {
  const n = index + 256 + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * A node that starts Ready has had its registration taint lifted: the
 * TaintNodesByCondition admission adds not-ready:NoSchedule on create, and
 * the node lifecycle controller removes it once it sees Ready=True.
 */
export function settledNode(node: Node): Node {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const taints = node.spec?.taints;
  if (!ready || !taints?.some(isNotReadyNoSchedule)) return node;
  const rest = taints.filter((t) => !isNotReadyNoSchedule(t));
  const { taints: _t, ...spec } = node.spec!;
  void _t;
  return { ...node, spec: rest.length ? { ...spec, taints: rest } : spec };
}

const isNotReadyNoSchedule = (t: { key: string; effect: string }) => t.key === TAINT_NODE_NOT_READY && t.effect === 'NoSchedule';
