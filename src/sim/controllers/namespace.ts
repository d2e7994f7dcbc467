// kube-controller-manager's namespace controller (pkg/controller/namespace/
// namespace_controller.go). A Namespace that gets a deletionTimestamp is
// handled 5 s later (namespaceDeletionGracePeriod, so every apiserver has
// begun refusing new objects in it) by the deleter (namespace-deleter.ts).
// Content still going away is looked at again after half its estimate plus
// a second; a failure is retried with its own backoff, 5 ms doubling to at
// most 60 s (nsControllerRateLimiter).
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { NamespacedResourcesDeleter } from './namespace-deleter';
import type { SharedInformer } from './shared-informers';
import { WorkQueue } from './work-queue';

export const NAMESPACE_CONTROLLER = 'namespace-controller';

export const NAMESPACE_DELETION_GRACE_MS = 5_000;
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 60_000;

export class NamespaceController implements Controller {
  readonly name = NAMESPACE_CONTROLLER;
  private readonly namespaces: SharedInformer;
  private readonly queue: WorkQueue;
  private readonly deleter: NamespacedResourcesDeleter;
  private readonly failures = new Map<string, number>();

  constructor(ctx: ControllerContext) {
    this.namespaces = ctx.informers.for('Namespace');
    this.deleter = new NamespacedResourcesDeleter(ctx.kernel, ctx.client);
    this.queue = new WorkQueue(ctx.kernel, NAMESPACE_CONTROLLER, (key) => this.sync(key));
    const enqueue = (o: { metadata: { name?: string; deletionTimestamp?: string } }) => {
      if (o.metadata.deletionTimestamp) this.queue.addAfter(o.metadata.name!, NAMESPACE_DELETION_GRACE_MS);
    };
    this.namespaces.on({ add: enqueue, update: enqueue });
  }

  stop(): void {
    this.queue.shutDown();
  }

  private sync(name: string): 'done' {
    // Gone from the cache: it has been deleted.
    if (!this.namespaces.get(name)) return this.forget(name);
    const r = this.deleter.delete(name);
    if (r.kind === 'done') return this.forget(name);
    if (r.kind === 'remaining') {
      // ResourcesRemainingError: wait for about half the estimate (integer seconds, as Go divides).
      this.queue.addAfter(name, (Math.floor(r.estimateSeconds / 2) + 1) * 1000);
      return 'done';
    }
    const n = this.failures.get(name) ?? 0;
    this.failures.set(name, n + 1);
    this.queue.addAfter(name, Math.min(RETRY_BASE_MS * 2 ** n, RETRY_MAX_MS));
    return 'done';
  }

  private forget(name: string): 'done' {
    this.failures.delete(name);
    return 'done';
  }
}

export const newNamespaceController: ControllerFactory = (ctx) => new NamespaceController(ctx);
