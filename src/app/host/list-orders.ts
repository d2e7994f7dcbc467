// The orders of the lists that cross the worker boundary as keyed deltas:
// the objects table in the cluster's order, the node cards by name.
import { ROW_ORDER } from '../store/object-feed';
import type { WorkerView } from '../store/worker-views';
import type { ListOrder } from '../store/keyed-delta';

export { ROW_ORDER };
export const WORKER_ORDER: ListOrder<WorkerView> = { key: (w) => w.name, compare: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) };
