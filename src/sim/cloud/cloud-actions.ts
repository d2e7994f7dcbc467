// The timeline verbs and gestures that touch the cloud, as cluster/actions.ts
// performs them: deleteMachine (the instance is terminated: the machine is
// off for good, and only the cloud node lifecycle controller's pass will
// take its Node away), a Node applied on a cloud (a machine joining: a new
// instance, and the Node registered with the uninitialized taint, as a
// kubelet with --cloud-provider=external registers it) and stopping or
// starting cloud-controller-manager.
import type { KubeObject, Node } from '../api/types';
import type { ActionOutcome } from '../cluster/actions';
import type { Machines } from '../cluster/machines';
import type { NodeAgents } from '../node/node-agents';
import type { Cloud } from './cloud';
import type { CloudControllerManager } from './cloud-controller-manager';
import { registeredWithCloudTaint } from './cloud-taints';

export interface CloudTargets {
  /** Absent without spec.cloud. */
  cloud?: Cloud;
  cloudControllerManager?: CloudControllerManager;
  machines: Machines;
  nodes: NodeAgents;
}

const ok = (message: string): ActionOutcome => ({ ok: true, message });
const err = (message: string): ActionOutcome => ({ ok: false, message });

/** deleteMachine NODE: terminate its instance and take the power away for good. */
export function deleteMachine(t: CloudTargets, node: string): ActionOutcome {
  if (!t.cloud) return err(`deleteMachine ${node}: the cluster has no cloud (add spec.cloud to the scenario), so there is no instance to delete; powerOff stops the machine`);
  const inst = t.cloud.deleteMachine(node);
  if (!inst) return err(t.cloud.instances.isTerminated(node) ? `node/${node}: its instance is already terminated` : `no instance for node ${JSON.stringify(node)} in the cloud`);
  t.machines.apply(node, 'powerOff');
  t.nodes.machineChanged(node);
  return ok(`node/${node}: deleteMachine (instance ${inst.id} terminated)`);
}

/** A terminated instance cannot be powered on again: the reason, or undefined when the verb may go ahead. */
export function refuseOnTerminated(t: CloudTargets, node: string, verb: string): ActionOutcome | undefined {
  if (verb !== 'powerOn' || !t.cloud?.instances.isTerminated(node)) return undefined;
  return err(`node/${node}: its instance was terminated (deleteMachine); a new machine joins by applying a Node`);
}

/** The manifest as it reaches the apiserver: a new Node on a cloud carries the uninitialized taint. */
export function asRegistered(t: CloudTargets, m: KubeObject, exists: boolean): KubeObject {
  return t.cloud && m.kind === 'Node' && !exists ? registeredWithCloudTaint(m) : m;
}

/** A Node was applied and its agents started: on a cloud its machine gets an instance (a reborn name gets power back). */
export function machineJoined(t: CloudTargets, manifest: KubeObject): void {
  if (!t.cloud) return;
  const node = manifest as unknown as Node;
  const name = node.metadata!.name!;
  const reborn = t.cloud.instances.isTerminated(name);
  t.cloud.machineJoined(node, t.nodes.names().indexOf(name));
  if (!reborn) return;
  t.machines.apply(name, 'powerOn');
  t.nodes.machineChanged(name);
}

