// util.GetHostPorts and HostPortInfo.CheckConflict: the host ports a pod
// takes (its containers and its sidecars, the restartable init containers
// that run as long as the pod), stored sanitized ("" ip is 0.0.0.0, ""
// protocol is TCP).
import type { ContainerPort } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import type { HostPort } from './types';

export const BIND_ALL_HOST_IP = '0.0.0.0';

export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  // Sidecars (restartable init containers) first, then the containers; no lists built on the way (the cache asks for every pod it places).
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') addHostPorts(out, c.ports);
  for (const c of pod.spec?.containers ?? []) addHostPorts(out, c.ports);
  return out;
}

function addHostPorts(out: HostPort[], ports: readonly ContainerPort[] | undefined): void {
  if (ports) for (const p of ports) if ((p.hostPort ?? 0) > 0) out.push({ ip: p.hostIP || BIND_ALL_HOST_IP, protocol: p.protocol || 'TCP', port: p.hostPort! });
}

export const sameHostPort = (a: HostPort, b: HostPort): boolean => a.ip === b.ip && a.protocol === b.protocol && a.port === b.port;

/** A wanted port conflicts with a used one on the same protocol and port when either binds all addresses or both bind the same one. */
export function hostPortConflicts(used: readonly HostPort[], want: HostPort): boolean {
  if (want.port <= 0) return false;
  for (const u of used) {
    if (u.protocol !== want.protocol || u.port !== want.port) continue;
    if (want.ip === BIND_ALL_HOST_IP || u.ip === BIND_ALL_HOST_IP || u.ip === want.ip) return true;
  }
  return false;
}
