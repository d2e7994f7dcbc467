// PrioritySort (QueueSort): higher spec.priority first, then the pod that
// entered the queue earlier. The queue applies it (queue.ts prioritySortLess).
import type { PluginFactory } from '../framework/registry';

export const PRIORITY_SORT = 'PrioritySort';

export const newPrioritySort: PluginFactory = () => ({ name: PRIORITY_SORT });
