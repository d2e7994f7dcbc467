// kubectl describe, after staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go:
// "TYPE NAME_PREFIX", "TYPE/NAME", "TYPE -l label" or every object of the
// type; a name that matches no object exactly describes those it prefixes.
// Several descriptions are separated by a blank line. Events are the ones
// about the object (searchEvents: involvedObject name, namespace, kind and
// uid; a pod's events by name and uid; a node's by its uid or its name).
import type { Event } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { describeGeneric, describeNamespace } from '../describe/generic';
import { describeEndpointSlice, describeService, slicesOf } from '../describe/network';
import { describeNode } from '../describe/node';
import { describePod } from '../describe/pod';
import { describeDaemonSet, describeDeployment, describeJob, describeReplicaSet } from '../describe/workloads';
import { findResource, groupResource, type KubectlResource } from '../resources';
import { KubectlError, notFound } from '../result';
import { ALL_NAMESPACES_FLAG, SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { parseTargets, selectorFlag } from './targets';

const res = (plural: string): KubectlResource => findResource(plural)!;

/** The events about an object, as searchEvents finds them. */
export function eventsAbout(ctx: Pick<CommandContext, 'reader'>, obj: KubeObject): Event[] {
  const ns = obj.metadata.namespace;
  const events = ctx.reader.list(res('events'), ns) as unknown as Event[];
  const uids = obj.kind === 'Node' ? [obj.metadata.uid, obj.metadata.name] : [obj.metadata.uid];
  return events.filter((e) => {
    const inv = e.involvedObject ?? {};
    if (inv.name !== obj.metadata.name) return false;
    if (ns !== undefined && inv.namespace !== undefined && inv.namespace !== ns) return false;
    if (obj.kind !== 'Pod' && inv.kind !== obj.kind) return false;
    return !inv.uid || uids.includes(inv.uid);
  });
}

export function describeObject(ctx: CommandContext, obj: KubeObject, showEvents: boolean): string {
  const events = showEvents ? eventsAbout(ctx, obj) : undefined;
  const now = ctx.cluster.now;
  const ns = obj.metadata.namespace;
  switch (obj.kind) {
    case 'Pod':
      return describePod(obj, events, now);
    case 'Node': {
      const pods = ctx.reader.list(res('pods')).filter((p) => {
        const spec = p.spec as { nodeName?: string };
        const phase = (p.status as { phase?: string })?.phase;
        return spec?.nodeName === obj.metadata.name && phase !== 'Succeeded' && phase !== 'Failed';
      });
      const lease = ctx.reader.get(res('leases'), 'kube-node-lease', obj.metadata.name!);
      return describeNode({ node: obj, pods, lease, events, now });
    }
    case 'Deployment':
      return describeDeployment(obj, ctx.reader.list(res('replicasets'), ns), events, now);
    case 'ReplicaSet':
      return describeReplicaSet(obj, ctx.reader.list(res('pods'), ns), events, now);
    case 'DaemonSet':
      return describeDaemonSet(obj, ctx.reader.list(res('pods'), ns), events, now);
    case 'Job':
      return describeJob(obj, events, now);
    case 'Service':
      return describeService(obj, slicesOf(obj, ctx.reader.list(res('endpointslices'), ns)), events, now);
    case 'EndpointSlice':
      return describeEndpointSlice(obj, events, now);
    case 'Namespace':
      return describeNamespace(obj);
    default:
      return describeGeneric(obj, events, now);
  }
}

function runDescribe(ctx: CommandContext): void {
  ctx.inv.requireServer();
  if (ctx.args.length === 0) throw new KubectlError("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples");
  const targets = parseTargets(ctx.args);
  const selector = selectorFlag(ctx);
  const allNamespaces = ctx.flags.bool('all-namespaces');
  const showEvents = ctx.flags.bool('show-events', true);
  const objs: KubeObject[] = [];
  for (const t of targets) {
    const namespaced = t.resource.info.namespaced;
    const scope = allNamespaces || !namespaced ? undefined : ctx.namespace;
    const all = ctx.reader.list(t.resource, scope);
    if (t.name === undefined) {
      objs.push(...all.filter((o) => !selector || selector.matches(o.metadata.labels)));
      continue;
    }
    const exact = ctx.reader.get(t.resource, namespaced ? ctx.namespace : undefined, t.name);
    if (exact) {
      objs.push(exact);
      continue;
    }
    // DescribeMatchingResources: every object whose name starts with what was typed.
    const prefixed = all.filter((o) => o.metadata.name?.startsWith(t.name!));
    if (prefixed.length === 0) ctx.inv.fail(notFound(groupResource(t.resource), t.name));
    objs.push(...prefixed);
  }
  if (objs.length === 0 && !ctx.inv.failed) {
    ctx.inv.warn(allNamespaces ? 'No resources found' : `No resources found in ${ctx.namespace} namespace.`);
    return;
  }
  ctx.inv.print(objs.map((o) => describeObject(ctx, o, showEvents)).join('\n\n'));
}

export const describeCommand: Command = {
  name: 'describe',
  group: 'Troubleshooting and Debugging Commands',
  short: 'Show details of a specific resource or group of resources',
  usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  examples: ['# Describe a node\n  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal', '# Describe a pod\n  kubectl describe pods/nginx'],
  flags: [ALL_NAMESPACES_FLAG, SELECTOR_FLAG, { name: 'show-events', type: 'bool', default: 'true', usage: 'If true, display events related to the described object.' }],
  run: runDescribe,
  completeArgs: 'resources',
};
