// The controllers kube-controller-manager runs, in upstream's start order.
import type { ControllerFactory } from './controller';
import { newDaemonSetController } from './daemonset';
import { newDeploymentController } from './deployment';
import { newEndpointSliceController } from './endpointslice';
import { newGarbageCollector } from './garbage-collector';
import { newJobController } from './job';
import { newNamespaceController } from './namespace';
import { newNodeIpamController } from './node-ipam';
import { newNodeLifecycleController } from './node-lifecycle';
import { newPersistentVolumeController } from './persistent-volume-controller';
import { newPVCProtectionController, newPVProtectionController } from './persistent-volume-protection';
import { newPersistentVolumeProvisioner } from './persistent-volume-provisioner';
import { newPodGCController } from './podgc';
import { newReplicaSetController } from './replicaset';
import { newStatefulSetController } from './statefulset';
import { newTaintEvictionController } from './taint-eviction';

export const CONTROLLERS: readonly ControllerFactory[] = [
  newNamespaceController,
  newGarbageCollector,
  newNodeLifecycleController,
  // Upstream starts it just before node lifecycle; after it here, it adds no informer of its own. Off without a cloud.
  newNodeIpamController,
  newTaintEvictionController,
  newPodGCController,
  newReplicaSetController,
  newDeploymentController,
  newDaemonSetController,
  newJobController,
  newStatefulSetController,
  newEndpointSliceController,
  newPersistentVolumeController,
  newPVCProtectionController,
  newPVProtectionController,
  // Not a kube-controller-manager controller upstream (a CSI driver's sidecar); see persistent-volume-provisioner.ts.
  newPersistentVolumeProvisioner,
];
