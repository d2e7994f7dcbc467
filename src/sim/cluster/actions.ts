// Carries out a timeline action (or a user's gesture, which is the same
// thing) as a client would: kubectl's requests to the apiserver, or a fault
// on a machine or component. Nothing here reaches into another component.
import type { KubeObject } from '../api/types';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import type { EtcdCluster } from '../etcd/etcd-cluster';
import type { Action } from '../model';
import type { ControlPlane } from './control-plane';
import type { Machines } from './machines';
import type { NodeAgents } from '../node/node-agents';
import { asRegistered, deleteMachine, machineJoined, refuseOnTerminated, type CloudTargets } from '../cloud/cloud-actions';

export interface ActionOutcome {
  ok: boolean;
  /** What kubectl would print: "deployment.apps/web scaled", or the error. */
  message: string;
}

export interface ActionTargets {
  kubectl: ApiClient;
  apiserver: ApiServer;
  etcd: EtcdCluster;
  controlPlane: ControlPlane;
  machines: Machines;
  nodes: NodeAgents;
  /** With spec.cloud: the simulated cloud and cloud-controller-manager. */
  cloud?: CloudTargets['cloud'];
  cloudControllerManager?: CloudTargets['cloudControllerManager'];
}

export function performAction(a: Action, t: ActionTargets): ActionOutcome | ActionOutcome[] {
  const { kubectl } = t;
  // A control-plane machine is not a Node (unless a Node has its name): it can only lose and regain power.
  if ('node' in a && t.controlPlane.isMachine(a.node) && !t.apiserver.exists('Node', undefined, a.node)) {
    if (a.action === 'powerOff' || a.action === 'powerOn') return t.controlPlane.power(a.node, a.action === 'powerOn');
    return err(`${a.node} is a control-plane machine, not a Node: only powerOff and powerOn apply to it`);
  }
  switch (a.action) {
    case 'apply':
      return a.manifests.map((m) => {
        const isNew = m.kind === 'Node' && !!m.metadata?.name && !t.apiserver.exists('Node', undefined, m.metadata.name);
        const out = apply(kubectl, asRegistered(t, m, !isNew));
        // A Node applied by hand stands for a machine joining: it gets its agents (and, on a cloud, an instance).
        if (out.ok && m.kind === 'Node' && m.metadata?.name) {
          t.nodes.add(m.metadata.name);
          if (isNew) machineJoined(t, m);
        }
        return out;
      });
    case 'delete': {
      // kubectl delete cascades in the background by default (--cascade=background).
      const r = kubectl.delete(a.kind, a.namespace, a.name, { propagationPolicy: 'Background' });
      return r.ok ? ok(`${label(a.kind)}/${a.name} deleted`) : err(r.status.message);
    }
    case 'scale': {
      const r = kubectl.patch(a.kind, a.namespace, a.name, { spec: { replicas: a.replicas } });
      return r.ok ? ok(`${label(a.kind)}/${a.name} scaled`) : err(r.status.message);
    }
    case 'cordon':
    case 'uncordon': {
      const r = kubectl.patch('Node', undefined, a.node, { spec: { unschedulable: a.action === 'cordon' ? true : null } });
      return r.ok ? ok(`node/${a.node} ${a.action}ed`) : err(r.status.message);
    }
    case 'drain':
      return drain(kubectl, a.node);
    case 'powerOff':
    case 'powerOn':
    case 'stopKubelet':
    case 'startKubelet':
    case 'partition':
    case 'heal':
    case 'fillMemory':
    case 'freeMemory': {
      if (!t.apiserver.exists('Node', undefined, a.node) && t.machines.get(a.node).powered) return err(`nodes ${JSON.stringify(a.node)} not found`);
      const refused = refuseOnTerminated(t, a.node, a.action);
      if (refused) return refused;
      t.machines.apply(a.node, a.action);
      t.nodes.machineChanged(a.node);
      return ok(`node/${a.node}: ${a.action}`);
    }
    case 'deleteMachine':
      return deleteMachine(t, a.node);
    case 'stopComponent':
    case 'startComponent':
      return (
        t.controlPlane.setComponent(a.component, a.action === 'startComponent') ??
        err(`no component ${JSON.stringify(a.component)} (components: ${[...t.controlPlane.componentNames(), ...(t.cloudControllerManager ? [t.cloudControllerManager.name] : [])].join(', ')})`)
      );
  }
}

/** kubectl apply, simplified to create-or-replace: a new object is created, an existing one updated. */
function apply(kubectl: ApiClient, m: KubeObject): ActionOutcome {
  const name = m.metadata?.name ?? '';
  const existing = name ? kubectl.get(m.kind, m.metadata.namespace, name) : undefined;
  if (existing?.ok) {
    const r = kubectl.update({ ...m, metadata: { ...m.metadata, resourceVersion: undefined } });
    return r.ok ? ok(`${label(m.kind)}/${name} configured`) : err(r.status.message);
  }
  const r = kubectl.create(m);
  return r.ok ? ok(`${label(m.kind)}/${r.object.metadata.name} created`) : err(r.status.message);
}

/**
 * kubectl drain --ignore-daemonsets --force: cordon, then evict every pod on
 * the node except those a DaemonSet owns (they would come straight back).
 */
function drain(kubectl: ApiClient, node: string): ActionOutcome[] {
  const cordon = kubectl.patch('Node', undefined, node, { spec: { unschedulable: true } });
  if (!cordon.ok) return [err(cordon.status.message)];
  const out: ActionOutcome[] = [ok(`node/${node} cordoned`)];
  const pods = kubectl.list('Pod', { fieldSelector: `spec.nodeName=${node}` });
  if (!pods.ok) return [...out, err(pods.status.message)];
  for (const p of pods.items) {
    if ((p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.controller)) continue;
    const r = kubectl.evict(p.metadata.namespace!, p.metadata.name!);
    out.push(r.ok ? ok(`pod/${p.metadata.name} evicted`) : err(r.status.message));
  }
  out.push(ok(`node/${node} drained`));
  return out;
}

function label(kind: string): string {
  const lower = kind.toLowerCase();
  const groups: Record<string, string> = { deployment: 'apps', replicaset: 'apps', daemonset: 'apps', job: 'batch' };
  return groups[lower] ? `${lower}.${groups[lower]}` : lower;
}

const ok = (message: string): ActionOutcome => ({ ok: true, message });
const err = (message: string): ActionOutcome => ({ ok: false, message });
