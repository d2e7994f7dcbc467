// Carries out a timeline action (or a user's gesture, which is the same
// thing) as a client would: kubectl's requests to the apiserver, or a fault
// on a machine or component. Nothing here reaches into another component.
import type { KubeObject } from '../api/types';
import type { ApiClient, ApiServer } from '../apiserver/apiserver';
import type { EtcdCluster } from '../etcd/etcd-cluster';
import { controlPlaneComponents, type Action } from '../model';
import type { Machines } from './machines';
import type { Scheduler } from '../scheduler/scheduler';
import type { ControllerManager } from '../controllers/controller-manager';
import type { NodeAgents } from '../node/node-agents';

export interface ActionOutcome {
  ok: boolean;
  /** What kubectl would print: "deployment.apps/web scaled", or the error. */
  message: string;
}

export interface ActionTargets {
  kubectl: ApiClient;
  apiserver: ApiServer;
  etcd: EtcdCluster;
  scheduler: Scheduler;
  controllerManager: ControllerManager;
  machines: Machines;
  nodes: NodeAgents;
}

export function componentNames(etcd: EtcdCluster): string[] {
  return controlPlaneComponents(etcd.memberNames().length);
}

export function performAction(a: Action, t: ActionTargets): ActionOutcome | ActionOutcome[] {
  const { kubectl } = t;
  switch (a.action) {
    case 'apply':
      return a.manifests.map((m) => {
        const out = apply(kubectl, m);
        // A Node applied by hand stands for a machine joining: it gets its agents.
        if (out.ok && m.kind === 'Node' && m.metadata?.name) t.nodes.add(m.metadata.name);
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
      t.machines.apply(a.node, a.action);
      t.nodes.machineChanged(a.node);
      return ok(`node/${a.node}: ${a.action}`);
    }
    case 'stopComponent':
    case 'startComponent': {
      const stop = a.action === 'stopComponent';
      if (t.etcd.hasMember(a.component)) {
        if (stop) t.etcd.stopMember(a.component);
        else t.etcd.startMember(a.component);
      } else if (a.component === 'kube-apiserver') {
        if (stop) t.apiserver.stop();
        else t.apiserver.start();
      } else if (a.component === 'kube-scheduler') {
        if (stop) t.scheduler.stop();
        else t.scheduler.start();
      } else if (a.component === 'kube-controller-manager') {
        if (stop) t.controllerManager.stop();
        else t.controllerManager.start();
      } else return err(`no component ${JSON.stringify(a.component)} (components: ${componentNames(t.etcd).join(', ')})`);
      return ok(`${a.component} ${stop ? 'stopped' : 'started'}`);
    }
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
