// SchedulingGates (PreEnqueue): a pod with spec.schedulingGates waits
// outside activeQ until every gate is removed.
import type { Pod } from '../../api/types';
import type { PluginFactory } from '../framework/registry';
import { SUCCESS, unresolvable, type Status } from '../framework/status';

export const SCHEDULING_GATES = 'SchedulingGates';

export function preEnqueue(pod: Pod): Status {
  const gates = pod.spec?.schedulingGates ?? [];
  if (gates.length === 0) return SUCCESS;
  return unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
}

export const newSchedulingGates: PluginFactory = () => ({ name: SCHEDULING_GATES });
