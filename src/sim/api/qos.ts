// A pod's QoS class as upstream computes it (ComputePodQOS): Guaranteed when
// every container limits cpu and memory and requests equal limits,
// BestEffort when nothing is requested or limited, Burstable otherwise.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { tryParseQuantity } from './quantity';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'];

export function podQOSClass(pod: Pod): QOSClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of all) {
    for (const name of QOS_RESOURCES) {
      const req = c?.resources?.requests?.[name];
      const r = req === undefined ? undefined : tryParseQuantity(req);
      if (r && r.milli > 0) requests.set(name, (requests.get(name) ?? 0) + r.milli);
    }
    let found = 0;
    for (const name of QOS_RESOURCES) {
      const lim = c?.resources?.limits?.[name];
      const l = lim === undefined ? undefined : tryParseQuantity(lim);
      if (l && l.milli > 0) {
        found++;
        limits.set(name, (limits.get(name) ?? 0) + l.milli);
      }
    }
    if (found < QOS_RESOURCES.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
