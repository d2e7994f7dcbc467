// Every plugin kube-scheduler can run, by name.
import type { PluginFactory } from '../framework/registry';
import { DEFAULT_BINDER, newDefaultBinder } from './default-binder';
import { DEFAULT_PREEMPTION, newDefaultPreemption } from './default-preemption';
import { IMAGE_LOCALITY, newImageLocality } from './image-locality';
import { INTER_POD_AFFINITY, newInterPodAffinity } from './inter-pod-affinity';
import { NODE_AFFINITY, newNodeAffinity } from './node-affinity';
import { NODE_NAME, newNodeName } from './node-name';
import { NODE_PORTS, newNodePorts } from './node-ports';
import { NODE_RESOURCES_BALANCED_ALLOCATION, newNodeResourcesBalancedAllocation } from './node-resources-balanced-allocation';
import { NODE_RESOURCES_FIT, newNodeResourcesFit } from './node-resources-fit';
import { NODE_UNSCHEDULABLE, newNodeUnschedulable } from './node-unschedulable';
import { POD_TOPOLOGY_SPREAD, newPodTopologySpread } from './pod-topology-spread';
import { PRIORITY_SORT, newPrioritySort } from './priority-sort';
import { SCHEDULING_GATES, newSchedulingGates } from './scheduling-gates';
import { TAINT_TOLERATION, newTaintToleration } from './taint-toleration';
import { NODE_VOLUME_LIMITS, newNodeVolumeLimits } from './node-volume-limits';
import { VOLUME_BINDING, newVolumeBinding } from './volume-binding';
import { VOLUME_RESTRICTIONS, newVolumeRestrictions } from './volume-restrictions';
import { VOLUME_ZONE, newVolumeZone } from './volume-zone';

export const PLUGIN_REGISTRY: ReadonlyMap<string, PluginFactory> = new Map([
  [SCHEDULING_GATES, newSchedulingGates],
  [PRIORITY_SORT, newPrioritySort],
  [NODE_UNSCHEDULABLE, newNodeUnschedulable],
  [NODE_NAME, newNodeName],
  [TAINT_TOLERATION, newTaintToleration],
  [NODE_AFFINITY, newNodeAffinity],
  [NODE_PORTS, newNodePorts],
  [NODE_RESOURCES_FIT, newNodeResourcesFit],
  [VOLUME_RESTRICTIONS, newVolumeRestrictions],
  [NODE_VOLUME_LIMITS, newNodeVolumeLimits],
  [VOLUME_BINDING, newVolumeBinding],
  [VOLUME_ZONE, newVolumeZone],
  [POD_TOPOLOGY_SPREAD, newPodTopologySpread],
  [INTER_POD_AFFINITY, newInterPodAffinity],
  [DEFAULT_PREEMPTION, newDefaultPreemption],
  [NODE_RESOURCES_BALANCED_ALLOCATION, newNodeResourcesBalancedAllocation],
  [IMAGE_LOCALITY, newImageLocality],
  [DEFAULT_BINDER, newDefaultBinder],
]);

export const PLUGIN_NAMES = [...PLUGIN_REGISTRY.keys()];
