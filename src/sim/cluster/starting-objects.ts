// The objects of a starting cluster, in the order the restored snapshot
// stores them (each takes the next revision): the names taken in each
// resource and namespace, where the settled workloads sit (their status is
// filled in after their pods are stamped) and the Nodes, as they are added.
import type { KubeObject, Node, ResourceInfo } from '../api/types';

/** `ownsMetadata`: the object was stamped for the snapshot alone (its metadata is its own), so the restore stamps its resourceVersion in place. */
export type Prepared = { info: ResourceInfo; obj: KubeObject; ownsMetadata?: boolean };

/** Resources whose objects the settled workloads look up and replace. */
const WORKLOADS = new Set(['deployments', 'daemonsets']);

export class StartingObjects {
  /** Store order. */
  readonly list: Prepared[] = [];
  /** Every Node, in store order. */
  readonly nodes: Node[] = [];
  /** Names taken, by "resource/namespace" ("nodes/" for cluster-scoped ones). */
  private readonly names = new Map<string, Set<string>>();
  /** Index in `list` of each Deployment and DaemonSet, by "resource/namespace/name". */
  private readonly workloads = new Map<string, number>();

  constructor(private readonly declared: ReadonlySet<string>) {}

  get length(): number {
    return this.list.length;
  }

  /** Adds an object in the next place; a message when it cannot be stored (no such namespace, a name taken). */
  add(p: Prepared): string | undefined {
    const m = p.obj.metadata;
    const why = this.refusal(p.info, m.namespace);
    if (why) return why;
    const names = this.namesIn(p.info.resource, m.namespace);
    if (names.has(m.name!)) return `${p.info.resource} ${JSON.stringify(m.name)} already exists`;
    names.add(m.name!);
    if (WORKLOADS.has(p.info.resource)) this.workloads.set(`${p.info.resource}/${m.namespace ?? ''}/${m.name}`, this.list.length);
    if (p.info.resource === 'nodes') this.nodes.push(p.obj as Node);
    this.list.push(p);
    return undefined;
  }

  /** Why no object of this resource can be stored in that namespace, if it cannot. */
  refusal(info: ResourceInfo, namespace: string | undefined): string | undefined {
    if (info.namespaced && !this.declared.has(namespace!)) return `namespaces ${JSON.stringify(namespace)} not found (add a Namespace document to the scenario)`;
    return undefined;
  }

  /**
   * The names taken in one resource and namespace, for a caller that adds
   * many objects there (stamped pods): it picks a free name, adds it here
   * and appends the object with `push`.
   */
  namesIn(resource: string, namespace: string | undefined): Set<string> {
    const key = `${resource}/${namespace ?? ''}`;
    let names = this.names.get(key);
    if (!names) this.names.set(key, (names = new Set()));
    return names;
  }

  /** Appends an object whose name the caller has just taken in `namesIn` (not a Node nor a workload). */
  push(p: Prepared): void {
    this.list.push(p);
  }

  /** The Deployment or DaemonSet of that name, as added or last replaced. */
  findWorkload(resource: 'deployments' | 'daemonsets', namespace: string, name: string): Prepared | undefined {
    const i = this.workloads.get(`${resource}/${namespace}/${name}`);
    return i === undefined ? undefined : this.list[i];
  }

  /** Puts a changed version of a Deployment or DaemonSet back in its place. */
  replaceWorkload(p: Prepared): void {
    const m = p.obj.metadata;
    this.list[this.workloads.get(`${p.info.resource}/${m.namespace ?? ''}/${m.name}`)!] = p;
  }
}
