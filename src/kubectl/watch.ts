// watchKubectl: the commands that keep running in a terminal, `get -w` and
// `rollout status`, for a console that calls next() as the simulation moves.
// `get -w` follows kubectl's watch (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go
// watch()): the table once, then one row per change of a watched object
// (added, modified or deleted), without the header, aligned by the same
// tabwriter, which remembers the column widths. The changes come from the
// store's history, as a watch from the list's resourceVersion gets them.
// `rollout status` prints its line again on every change of the Deployment
// until it reports success.
import type { Cluster } from '../sim/cluster';
import { CompactedError, type MvccEvent } from '../sim/etcd/mvcc';
import type { KubeObject } from '../sim/api/types';
import type { Selector } from '../sim/api/selector';
import type { CommandContext } from './commands/command';
import { getRequest } from './commands/get';
import { rolloutStatus, rolloutTarget } from './commands/rollout';
import { fetchTargets, selectorFlag, type Target } from './commands/targets';
import { tableFor, toJson, toNames, toYaml } from './printers';
import { TablePrinter } from './printers/render';
import { Invocation, KubectlError, type KubectlResult } from './result';
import { guarded, prepare, type KubectlInput, type KubectlOptions } from './run';
import { GET_TABLE, TabWriter } from './tabwriter';

/** A command still running: what it prints as the cluster moves. */
interface Follower {
  next(): string;
  readonly done: boolean;
}

export interface KubectlWatch {
  /** What the command printed at once. */
  initial: KubectlResult;
  /** What it printed since the last call (or since `initial`): new rows, new status lines, '' when nothing changed. */
  next(): string;
  /** True once the command would have exited (a rollout finished, an error, a command that does not watch). */
  readonly done: boolean;
}

const finished = (initial: KubectlResult): KubectlWatch => ({ initial, next: () => '', done: true });

export function watchKubectl(cluster: Cluster, line: KubectlInput, options: KubectlOptions = {}): KubectlWatch {
  const inv = new Invocation(cluster, options.actor);
  let watch: Follower | undefined;
  const initial = guarded(inv, () => {
    const p = prepare(inv, cluster, line, options);
    if (!p) return;
    if (p.ctx.path === 'get' && p.ctx.flags.bool('watch')) watch = getWatch(p.ctx);
    else if (p.ctx.path === 'rollout status' && p.ctx.flags.bool('watch', true)) watch = statusWatch(p.ctx);
    else p.cmd.run!(p.ctx);
  });
  // A watch that failed to start (or a command that does not watch) has exited.
  if (!watch || initial.exitCode !== 0) return finished(initial);
  const w = watch;
  return {
    initial,
    next: () => w.next(),
    get done() {
      return w.done;
    },
  };
}

interface Matcher {
  prefix: string;
  keep(obj: KubeObject): boolean;
}

function matcherFor(ctx: CommandContext, target: Target, allNamespaces: boolean, selector: Selector | undefined): Matcher {
  const r = target.resource;
  const ns = r.info.namespaced && !allNamespaces ? ctx.namespace : undefined;
  return {
    prefix: `/registry/${r.plural}/${ns !== undefined ? `${ns}/` : ''}`,
    keep: (o) => (target.name === undefined || o.metadata.name === target.name) && (!selector || selector.matches(o.metadata.labels)),
  };
}

function getWatch(ctx: CommandContext): Follower {
  ctx.inv.requireServer();
  const req = getRequest(ctx);
  const types = new Set(req.targets.map((t) => t.resource.plural));
  if (types.size > 1 || req.targets.length > 1) throw new KubectlError('error: watch is only supported on individual resources and resource collections - more than 1 resource was found');
  const target = req.targets[0];
  const selector = selectorFlag(ctx);
  const found = fetchTargets(ctx, [target], { allNamespaces: req.allNamespaces, selector });
  if (found.errors.length) throw new KubectlError(found.errors[0]);
  const store = ctx.cluster.etcd.store;
  let revision = store.revision;
  const match = matcherFor(ctx, target, req.allNamespaces, selector);
  const w = new TabWriter(GET_TABLE);
  const printer = new TablePrinter(tableFor(target.resource.info.kind), {
    now: ctx.cluster.now,
    wide: req.output === 'wide',
    withNamespace: req.allNamespaces && target.resource.info.namespaced,
    withKind: ctx.flags.bool('show-kind'),
    showLabels: ctx.flags.bool('show-labels'),
    noHeaders: ctx.flags.bool('no-headers'),
  });
  let yamlCount = 0;
  const print = (objs: readonly KubeObject[], withHeader: boolean): string => {
    if (req.output === 'yaml') return objs.map((o) => `${yamlCount++ > 0 ? '---\n' : ''}${toYaml(o)}`).join('');
    if (req.output === 'json') return objs.map((o) => toJson(o)).join('');
    if (req.output === 'name') return toNames(objs);
    printer.opts = { ...printer.opts, now: ctx.cluster.now };
    if (withHeader && objs.length) printer.printHeader(w);
    for (const o of objs) printer.printRow(w, o);
    w.flush();
    return w.take();
  };
  ctx.inv.print(print(found.items.map((i) => i.obj), true));
  const next = (): string => {
    if (revision === store.revision) return '';
    let events: MvccEvent[];
    try {
      events = store.eventsFrom(revision + 1);
    } catch (e) {
      if (!(e instanceof CompactedError)) throw e;
      // History compacted away: relist, as a watch that got 410 Gone does.
      revision = store.revision;
      const again = fetchTargets(ctx, [target], { allNamespaces: req.allNamespaces, selector });
      return print(again.items.map((i) => i.obj), false);
    }
    revision = store.revision;
    const changed = events.filter((ev) => ev.kv.key.startsWith(match.prefix)).map((ev) => ev.kv.value as KubeObject).filter((o) => o && match.keep(o));
    return print(changed, false);
  };
  return { next, done: false };
}


function statusWatch(ctx: CommandContext): Follower {
  const obj = rolloutTarget(ctx);
  const first = rolloutStatus(ctx, obj);
  if (first.error) throw new KubectlError(first.error);
  ctx.inv.println(first.line);
  const store = ctx.cluster.etcd.store;
  const key = `/registry/${obj.kind === 'DaemonSet' ? 'daemonsets' : 'deployments'}/${obj.metadata.namespace}/${obj.metadata.name}`;
  let revision = store.revision;
  const state = { done: first.done };
  const next = (): string => {
    if (state.done || revision === store.revision) return '';
    let events: MvccEvent[];
    try {
      events = store.eventsFrom(revision + 1).filter((ev) => ev.kv.key === key);
    } catch (e) {
      if (!(e instanceof CompactedError)) throw e;
      const cur = store.get(key);
      events = cur ? [{ type: 'PUT', revision: store.revision, kv: cur }] : [];
    }
    revision = store.revision;
    let out = '';
    for (const ev of events) {
      if (ev.type === 'DELETE') {
        state.done = true;
        return `${out}error: object has been deleted\n`;
      }
      const s = rolloutStatus(ctx, ev.kv.value as KubeObject);
      if (s.error) {
        state.done = true;
        return `${out}${s.error}\n`;
      }
      out += `${s.line}\n`;
      if (s.done) {
        state.done = true;
        break;
      }
    }
    return out;
  };
  return {
    next,
    get done() {
      return state.done;
    },
  };
}
