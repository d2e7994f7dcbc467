// kubectl rollout status|history|undo|restart|pause|resume, after
// staging/src/k8s.io/kubectl/pkg/cmd/rollout and pkg/polymorphichelpers
// (rollout_status.go, history.go, rollback.go, objectrestarter.go,
// objectpauser.go, objectresumer.go). status prints the line for the
// current state (watchKubectl follows it until the rollout is done); undo
// copies the previous ReplicaSet's template back as kubectl does
// client-side; restart stamps kubectl.kubernetes.io/restartedAt with the
// simulated clock; every change is the Deployment written back with the
// apply verb.
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { compileLabelSelector } from '../../sim/api/selector';
import type { KubeObject } from '../../sim/api/types';
import { rollbackTemplate } from '../../sim/controllers/deployment-undo';
import { revisionOf, TIMED_OUT } from '../../sim/controllers/deployment-util';
import { timestamp } from '../../sim/kernel/time';
import { findResource, groupResource, objectName, type KubectlResource } from '../resources';
import { KubectlError, errorLine } from '../result';
import { podTemplateSection } from '../describe/sections';
import { describeText } from '../describe/writer';
import { tabbed, DESCRIBE } from '../tabwriter';
import type { Command, CommandContext } from './command';
import { applyObject, editable } from './mutate';
import { NO_RESOURCES, oneObject } from './objects';
import { ownedReplicaSets } from '../describe/workloads';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

const groupKind = (r: KubectlResource) => (r.info.group ? `${r.info.kind}.${r.info.group}` : r.info.kind);

/** What each subcommand says of a kind it can not handle (polymorphichelpers' errors). */
const UNSUPPORTED: Record<string, (r: KubectlResource, name: string) => string> = {
  status: (r) => `no status viewer has been implemented for {${r.info.group} ${r.info.kind}}`,
  history: (r) => `no history viewer has been implemented for ${JSON.stringify(groupKind(r))}`,
  undo: (r) => `no rollbacker has been implemented for ${JSON.stringify(groupKind(r))}`,
  restart: (r, name) => `${groupResource(r)} ${JSON.stringify(name)} restarting is not supported`,
  pause: (r, name) => `${groupResource(r)} ${JSON.stringify(name)} pausing is not supported`,
  resume: (r, name) => `${groupResource(r)} ${JSON.stringify(name)} resuming is not supported`,
};

function deploymentArg(ctx: CommandContext, kinds: readonly string[] = ['Deployment']): KubeObject {
  if (ctx.args.length === 0) throw new KubectlError(NO_RESOURCES);
  return oneObject(ctx, kinds, UNSUPPORTED[ctx.path.split(' ')[1]]).obj;
}

const replicaSetsOf = (ctx: CommandContext, d: KubeObject): ReplicaSet[] => ownedReplicaSets(d, ctx.reader.list(findResource('replicasets')!, d.metadata.namespace));

/** DeploymentStatusViewer.Status: the line kubectl prints, whether it is done, or the failure. */
export function rolloutStatus(ctx: Pick<CommandContext, 'reader'>, obj: KubeObject): { line: string; done: boolean; error?: string } {
  if (obj.kind === 'DaemonSet') return daemonSetStatus(obj as unknown as DaemonSet);
  const d = obj as unknown as Deployment;
  const name = d.metadata?.name;
  const st = d.status ?? {};
  if ((d.metadata?.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const progressing = (st.conditions ?? []).find((c) => c.type === 'Progressing');
    if (progressing?.reason === TIMED_OUT) return { line: '', done: false, error: `error: deployment ${JSON.stringify(name)} exceeded its progress deadline` };
    const want = d.spec?.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0;
    if (updated < want) return { line: warned(ctx, d, `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${updated} out of ${want} new replicas have been updated...`), done: false };
    if ((st.replicas ?? 0) > updated)
      return { line: warned(ctx, d, `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...`), done: false };
    if ((st.availableReplicas ?? 0) < updated)
      return { line: warned(ctx, d, `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...`), done: false };
    return { line: `deployment ${JSON.stringify(name)} successfully rolled out`, done: true };
  }
  return { line: warned(ctx, d, 'Waiting for deployment spec update to be observed...'), done: false };
}

/** DaemonSetStatusViewer.Status. */
function daemonSetStatus(ds: DaemonSet): { line: string; done: boolean; error?: string } {
  const name = JSON.stringify(ds.metadata?.name);
  if (ds.spec?.updateStrategy?.type && ds.spec.updateStrategy.type !== 'RollingUpdate') return { line: '', done: true, error: 'error: rollout status is only available for RollingUpdate strategy type' };
  const st = ds.status;
  if ((ds.metadata?.generation ?? 0) <= (st?.observedGeneration ?? 0)) {
    const desired = st?.desiredNumberScheduled ?? 0;
    if ((st?.updatedNumberScheduled ?? 0) < desired)
      return { line: `Waiting for daemon set ${name} rollout to finish: ${st?.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...`, done: false };
    if ((st?.numberAvailable ?? 0) < desired) return { line: `Waiting for daemon set ${name} rollout to finish: ${st?.numberAvailable ?? 0} of ${desired} updated pods are available...`, done: false };
    return { line: `daemon set ${name} successfully rolled out`, done: true };
  }
  return { line: 'Waiting for daemon set spec update to be observed...', done: false };
}

/** appendWarning: an unschedulable pod or one stuck pulling or crashing is named after the line. */
function warned(ctx: Pick<CommandContext, 'reader'>, d: Deployment, line: string): string {
  const matches = compileLabelSelector(d.spec?.selector);
  for (const obj of ctx.reader.list(findResource('pods')!, d.metadata?.namespace)) {
    if (!matches(obj.metadata.labels)) continue;
    const pod = obj as unknown as Pod;
    const unschedulable = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
    if (unschedulable) return `${line} (Warning: ${unschedulable.message ?? ''})`;
    for (const cs of pod.status?.containerStatuses ?? []) {
      const reason = cs.state?.waiting?.reason;
      if (reason && ['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError'].includes(reason))
        return `${line} (Warning: ${reason} - ${cs.state?.waiting?.message ?? ''})`;
    }
  }
  return line;
}

/** The Deployment or DaemonSet `rollout status` watches. */
export const rolloutTarget = (ctx: CommandContext): KubeObject => deploymentArg(ctx, ['Deployment', 'DaemonSet']);

function status(ctx: CommandContext): void {
  const d = rolloutTarget(ctx);
  const s = rolloutStatus(ctx, d);
  if (s.error) throw new KubectlError(s.error);
  ctx.inv.println(s.line);
}

function history(ctx: CommandContext): void {
  const d = deploymentArg(ctx);
  const revision = ctx.flags.int('revision', 0);
  const byRevision = new Map<number, ReplicaSet>();
  for (const rs of replicaSetsOf(ctx, d)) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v)) byRevision.set(v, rs);
  }
  if (byRevision.size === 0) {
    ctx.inv.println(`${objectName(d)} \nNo rollout history found.`);
    return;
  }
  if (revision > 0) {
    const rs = byRevision.get(revision);
    if (!rs) throw errorLine('unable to find the specified revision');
    const tpl = editable(rs.spec!.template!);
    const cause = rs.metadata?.annotations?.[CHANGE_CAUSE];
    if (cause) tpl.metadata = { ...tpl.metadata, annotations: { ...tpl.metadata?.annotations, [CHANGE_CAUSE]: cause } };
    // printTemplate writes to a plain buffer: the tabs stay tabs.
    ctx.inv.print(`${objectName(d)} with revision #${revision}\n${describeText((w) => podTemplateSection(w, tpl), true)}\n`);
    return;
  }
  const table = tabbed(DESCRIBE, (w) => {
    w.write('REVISION\tCHANGE-CAUSE\n');
    for (const r of [...byRevision.keys()].sort((a, b) => a - b)) w.write(`${r}\t${byRevision.get(r)!.metadata?.annotations?.[CHANGE_CAUSE] || '<none>'}\n`);
  });
  ctx.inv.print(`${objectName(d)} \n${table}\n`);
}

function undo(ctx: CommandContext): void {
  const obj = deploymentArg(ctx);
  const d = obj as unknown as Deployment;
  const plan = rollbackTemplate(d, replicaSetsOf(ctx, obj), ctx.flags.int('to-revision', 0));
  if (plan.outcome === 'error') throw errorLine(plan.message);
  if (plan.outcome === 'skipped') {
    ctx.inv.println(`${objectName(obj)} ${plan.message}`);
    return;
  }
  const updated = editable(obj) as KubeObject & Deployment;
  updated.spec = { ...updated.spec!, template: plan.template };
  updated.metadata = { ...updated.metadata, annotations: plan.annotations };
  applyObject(ctx, updated);
  ctx.inv.println(`${objectName(obj)} rolled back`);
}

/** Errors of the pausers and restarter: `error: deployments.apps "web" is already paused`. */
const objectError = (r: KubectlResource, name: string, why: string) => errorLine(`${groupResource(r)} ${JSON.stringify(name)} ${why}`);

function restart(ctx: CommandContext): void {
  const obj = deploymentArg(ctx, ['Deployment', 'DaemonSet']);
  const d = obj as unknown as Deployment;
  const r = findResource('deployments')!;
  if (obj.kind === 'Deployment' && d.spec?.paused) throw objectError(r, obj.metadata.name!, "can't restart paused deployment (run rollout resume first)");
  const stamp = timestamp(ctx.cluster.now);
  if (d.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === stamp)
    throw errorLine(`failed to create patch for ${obj.metadata.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
  const updated = editable(obj) as KubeObject & Deployment;
  const tpl = updated.spec!.template!;
  tpl.metadata = { ...tpl.metadata, annotations: { ...tpl.metadata?.annotations, [RESTARTED_AT]: stamp } };
  applyObject(ctx, updated);
  ctx.inv.println(`${objectName(obj)} restarted`);
}

function setPaused(ctx: CommandContext, paused: boolean): void {
  const obj = deploymentArg(ctx);
  const d = obj as unknown as Deployment;
  if ((d.spec?.paused ?? false) === paused) throw objectError(findResource('deployments')!, obj.metadata.name!, paused ? 'is already paused' : 'is not paused');
  const updated = editable(obj) as KubeObject & Deployment;
  updated.spec = { ...updated.spec!, paused };
  if (!paused) delete updated.spec.paused;
  applyObject(ctx, updated);
  ctx.inv.println(`${objectName(obj)} ${paused ? 'paused' : 'resumed'}`);
}

const sub = (name: string, short: string, usage: string, run: (ctx: CommandContext) => void, flags: Command['flags'] = []): Command => ({
  name,
  short,
  usage: `kubectl rollout ${usage}`,
  flags,
  run,
  completeArgs: { typedNames: ['deployments', 'daemonsets'] },
});

export const rolloutCommand: Command = {
  name: 'rollout',
  group: 'Deploy Commands',
  short: 'Manage the rollout of a resource',
  usage: 'kubectl rollout SUBCOMMAND [options]',
  examples: ['# Rollback to the previous deployment\n  kubectl rollout undo deployment/abc', '# Check the rollout status of a deployment\n  kubectl rollout status deployment/abc'],
  flags: [],
  subcommands: [
    sub('history', 'View rollout history', 'history (TYPE NAME | TYPE/NAME) [flags] [options]', history, [
      { name: 'revision', type: 'int', default: '0', usage: 'See the details, including podTemplate of the revision specified' },
    ]),
    sub('pause', 'Mark the provided resource as paused', 'pause RESOURCE [options]', (ctx) => setPaused(ctx, true)),
    sub('restart', 'Restart a resource', 'restart RESOURCE [options]', restart),
    sub('resume', 'Resume a paused resource', 'resume RESOURCE [options]', (ctx) => setPaused(ctx, false)),
    sub('status', 'Show the status of the rollout', 'status (TYPE NAME | TYPE/NAME) [flags] [options]', status, [
      { name: 'watch', shorthand: 'w', type: 'bool', default: 'true', usage: 'Watch the status of the rollout until it\'s done.' },
    ]),
    sub('undo', 'Undo a previous rollout', 'undo (TYPE NAME | TYPE/NAME) [flags] [options]', undo, [
      { name: 'to-revision', type: 'int', default: '0', usage: 'The revision to rollback to. Default to 0 (last revision).' },
    ]),
  ],
};
