// The part of the kubelet's volume manager kubeviz simulates
// (pkg/kubelet/volumemanager: the desired-state-of-world populator's
// processPodVolumes and createVolumeSpec, and WaitForAttachAndMount): a
// pod's sandbox is not made until every persistentVolumeClaim volume names
// a claim that exists, is not being deleted and is Bound to a volume that
// points back at it. Until then the pod stays Pending (ContainerCreating)
// and each sync reports, as a FailedMount event,
// "Unable to attach or mount volumes: unmounted volumes=[data], unattached
// volumes=[], failed to process volumes=[data]: error processing PVC
// default/data-web-0: PVC is not bound". Attaching and mounting themselves
// take no time here.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../apiserver/apiserver';

/** Go's %v of a []string: "[a b]". */
const goList = (names: readonly string[]) => `[${names.join(' ')}]`;

/** getPVCExtractPV and getPVSpec: why the claim's volume cannot be set up, or undefined. */
function claimProblem(client: ApiClient, namespace: string, claimName: string): string | undefined {
  const key = `${namespace}/${claimName}`;
  const c = client.get('PersistentVolumeClaim', namespace, claimName);
  if (!c.ok) return `error processing PVC ${key}: failed to fetch PVC from API server: ${c.status.message}`;
  const pvc = c.object as unknown as PersistentVolumeClaim;
  if (pvc.metadata?.deletionTimestamp) return `error processing PVC ${key}: can't start pod because PVC ${key} is being deleted`;
  if (pvc.status?.phase !== 'Bound') return `error processing PVC ${key}: PVC is not bound`;
  const pvName = pvc.spec?.volumeName ?? '';
  const v = client.get('PersistentVolume', undefined, pvName);
  if (!v.ok) return `error processing PVC ${key}: failed to fetch PV ${pvName} from API server: ${v.status.message}`;
  const pv = v.object as unknown as PersistentVolume;
  const ref = pv.spec?.claimRef;
  if (!ref) return `error processing PVC ${key}: found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`;
  if (ref.uid !== pvc.metadata?.uid)
    return `error processing PVC ${key}: found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${ref.uid ?? ''} does not point to claim.UID ${pvc.metadata?.uid ?? ''}`;
  return undefined;
}

/**
 * WaitForAttachAndMount's error for the pod, or undefined when its volumes
 * are ready. The kubelet reads the claims and volumes from the apiserver,
 * as the populator does.
 */
export function waitForAttachAndMount(client: ApiClient, pod: Pod): string | undefined {
  const failed: string[] = [];
  const errors: string[] = [];
  const ns = pod.metadata?.namespace ?? 'default';
  for (const v of pod.spec?.volumes ?? []) {
    if (!v.persistentVolumeClaim) continue;
    const problem = claimProblem(client, ns, v.persistentVolumeClaim.claimName);
    if (!problem) continue;
    failed.push(v.name);
    errors.push(problem);
  }
  if (!failed.length) return undefined;
  return `unmounted volumes=${goList(failed)}, unattached volumes=[], failed to process volumes=${goList(failed)}: ${errors.join('; ')}`;
}
