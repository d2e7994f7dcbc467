// A component's client-go connection to kube-apiserver: the same calls as
// the server's, with the component's name on every wire message (client-go's
// rest client; the user agent names the caller). One name is one
// connection: behind a load balancer all its requests and watches reach the
// same replica until that replica goes away.
import type { KubeObject } from '../api/types';
import type { ApiServer, DeleteOptions, ListOptions, WatchOptions, WriteOptions } from './apiserver';
import * as status from './status';
import type { Failure } from './status';
import type { WatchHandle, WatchHandler } from './watch-hub';

/** A component's connection to the apiserver: the same calls, with its name on every message. */
export class ApiClient {
  constructor(
    private readonly server: ApiServer,
    readonly name: string,
    private readonly reachable?: () => boolean,
  ) {}

  /** How long the watch cache takes to reach this client: a watch event's delay, and a list's (the cache serves both). */
  get watchDelay(): number {
    return this.server.settings.watchDelay;
  }

  /** While cut off, a request fails at once, as the client's dial times out; it never arrives, so nothing is traced. */
  private cut(): { ok: false; status: Failure } | undefined {
    if (!this.reachable || this.reachable()) return undefined;
    return { ok: false, status: status.unavailable(`Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout (${this.name} is cut off from the apiserver)`) };
  }

  get(kind: string, namespace: string | undefined, name: string) {
    return this.cut() ?? this.server.get(this.name, kind, namespace, name);
  }
  list(kind: string, opts?: ListOptions) {
    return this.cut() ?? this.server.list(this.name, kind, opts);
  }
  watch(kind: string, opts: WatchOptions, handler: WatchHandler) {
    const cut = this.cut();
    const reachable = this.reachable;
    if (cut || !reachable) return cut ?? this.server.watch(this.name, kind, opts, handler);
    // A stream to a machine that got cut off carries nothing: the first event that would arrive ends it, and the client reconnects later.
    let handle: WatchHandle | undefined;
    const r = this.server.watch(this.name, kind, opts, (ev, key) => {
      if (reachable()) return handler(ev, key);
      handle?.stop();
      opts.onClose?.();
    });
    if (r.ok) handle = r.object;
    return r;
  }
  create(obj: KubeObject, opts?: WriteOptions) {
    return this.cut() ?? this.server.create(this.name, obj, opts);
  }
  update(obj: KubeObject, opts?: WriteOptions) {
    return this.cut() ?? this.server.update(this.name, obj, opts);
  }
  updateStatus(obj: KubeObject) {
    return this.cut() ?? this.server.update(this.name, obj, { subresource: 'status' });
  }
  patch(kind: string, namespace: string | undefined, name: string, patch: unknown, opts?: WriteOptions) {
    return this.cut() ?? this.server.patch(this.name, kind, namespace, name, patch, opts);
  }
  delete(kind: string, namespace: string | undefined, name: string, opts?: DeleteOptions) {
    return this.cut() ?? this.server.delete(this.name, kind, namespace, name, opts);
  }
  bind(namespace: string, podName: string, nodeName: string, annotations?: Record<string, string>) {
    return this.cut() ?? this.server.bind(this.name, namespace, podName, nodeName, annotations);
  }
  evict(namespace: string, podName: string, opts?: DeleteOptions) {
    return this.cut() ?? this.server.evict(this.name, namespace, podName, opts);
  }
}
