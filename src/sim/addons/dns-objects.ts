// Cluster DNS as kubeadm installs it: filled in by the DNS addon work.
import type { KubeObject } from '../api/types';

export function dnsAddonObjects(): KubeObject[] {
  return [];
}
