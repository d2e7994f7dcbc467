// The addons a scenario turns on (spec.addons). Their manifests join the
// starting cluster the way kubeadm applies them after the control plane is
// up; from then on they are ordinary objects the controllers run.
import type { KubeObject } from '../api/types';
import type { AddonsModel } from '../model';
import { dnsAddonObjects } from './dns-objects';
import { metricsServerObjects } from './metrics-server-objects';

export function addonObjects(addons: AddonsModel | undefined): KubeObject[] {
  if (!addons) return [];
  return [...(addons.dns ? dnsAddonObjects() : []), ...(addons.metricsServer ? metricsServerObjects() : [])];
}
