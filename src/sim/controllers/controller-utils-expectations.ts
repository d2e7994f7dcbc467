// Controller expectations, after upstream pkg/controller/controller_utils.go
// (ControllerExpectations and UIDTrackingControllerExpectations): a
// controller that just asked for N creates or the deletion of some pods
// waits until its informer has seen them before it syncs again, so a sync
// that runs before the watch catches up does not create or delete twice.
// Expectations expire after 5 minutes (ExpectationsTimeout) in case a watch
// event was lost. Time is the kernel's.

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /** When they were set, virtual ms. */
  timestamp: number;
}

export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();
  /** Pods (namespace/name) whose deletion each controller waits to observe. */
  private readonly deleteKeys = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {}

  /** SatisfiedExpectations: fulfilled, expired, or never set: the controller may sync. */
  satisfied(controllerKey: string): boolean {
    const e = this.store.get(controllerKey);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.now() - e.timestamp > EXPECTATIONS_TIMEOUT_MS;
  }

  get(controllerKey: string): { add: number; del: number } | undefined {
    const e = this.store.get(controllerKey);
    return e && { add: e.add, del: e.del };
  }

  expectCreations(controllerKey: string, adds: number): void {
    this.set(controllerKey, adds, 0);
  }

  /** ExpectDeletions (UID tracking): remembers which pods, so a graceful delete and the final delete count once. */
  expectDeletions(controllerKey: string, podKeys: readonly string[]): void {
    const keys = new Set(podKeys);
    this.deleteKeys.set(controllerKey, keys);
    this.set(controllerKey, 0, keys.size);
  }

  creationObserved(controllerKey: string): void {
    this.lower(controllerKey, 1, 0);
  }

  /** DeletionObserved (UID tracking): counts only pods this controller is waiting for, each once. */
  deletionObserved(controllerKey: string, podKey: string): void {
    const keys = this.deleteKeys.get(controllerKey);
    if (!keys?.has(podKey)) return;
    keys.delete(podKey);
    this.lower(controllerKey, 0, 1);
  }

  delete(controllerKey: string): void {
    this.store.delete(controllerKey);
    this.deleteKeys.delete(controllerKey);
  }

  private set(controllerKey: string, add: number, del: number): void {
    this.store.set(controllerKey, { add, del, timestamp: this.now() });
  }

  private lower(controllerKey: string, add: number, del: number): void {
    const e = this.store.get(controllerKey);
    if (!e) return;
    e.add -= add;
    e.del -= del;
  }
}
