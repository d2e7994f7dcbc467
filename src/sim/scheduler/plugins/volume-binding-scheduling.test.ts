// VolumeBinding in a whole cluster: the scheduler, the PV controller and the
// simulated provisioner hand a WaitForFirstConsumer claim along, and the pod
// is bound only once its claim is (upstream's PreBind waits, polling each
// second, for up to bindTimeoutSeconds).
import { describe, expect, it } from 'vitest';
import type { KubeObject, PersistentVolume, PersistentVolumeClaim, Pod } from '../../api/types';
import { ANN_SELECTED_NODE } from '../../api/persistent-volume-helpers';
import { createCluster } from '../../cluster';
import { emptyScenario } from '../../model';
import { PROVISION_MS } from '../../controllers/persistent-volume-provisioner';
import { defaultProfile } from '../profile';

const node = (name: string, zone: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
  status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
});
const storageClass: KubeObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'zonal' },
  provisioner: 'disk.csi.example.com',
  volumeBindingMode: 'WaitForFirstConsumer',
} as KubeObject;
const claim: KubeObject = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'zonal', resources: { requests: { storage: '1Gi' } } },
};
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'db', namespace: 'default' },
  spec: { containers: [{ name: 'db', image: 'postgres:16' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
};

function cluster(profile = defaultProfile()) {
  const c = createCluster({ ...emptyScenario(), schedulerProfile: profile, objects: [node('node-a', 'zone-a'), node('node-b', 'zone-b'), storageClass, claim, pod] });
  const get = <T>(kind: string, name: string) => c.objects().find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
  return { c, get };
}

describe('VolumeBinding in the binding cycle', () => {
  it('binds the pod only after its WaitForFirstConsumer claim is provisioned and bound, in the node\'s zone', () => {
    const { c, get } = cluster();
    // The cycle picks a node and PreBind writes it on the claim; the provisioner takes PROVISION_MS (2 s).
    c.runUntil(PROVISION_MS - 100);
    const early = get<Pod>('Pod', 'db')!;
    const selected = get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data')!.metadata!.annotations![ANN_SELECTED_NODE];
    expect(['node-a', 'node-b']).toContain(selected);
    expect(early.spec?.nodeName).toBeUndefined();
    // PreBind polls each second: the poll after the volume is bound (at 2 s) binds the pod, at 3 s.
    c.runUntil(2900);
    expect(get<Pod>('Pod', 'db')!.spec?.nodeName).toBeUndefined();
    c.runUntil(3100);
    const bound = get<Pod>('Pod', 'db')!;
    expect(bound.spec?.nodeName).toBe(selected);
    const pvc = get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data')!;
    expect(pvc.status?.phase).toBe('Bound');
    const pv = get<PersistentVolume>('PersistentVolume', pvc.spec!.volumeName!)!;
    const zone = selected === 'node-a' ? 'zone-a' : 'zone-b';
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }]);
  });

  it('gives up after bindTimeoutSeconds when nothing binds the claim, with upstream\'s SchedulerError', () => {
    const profile = defaultProfile();
    profile.args.VolumeBinding = { bindTimeoutSeconds: 5 };
    const { c, get } = cluster(profile);
    // Without kube-controller-manager no PV controller or provisioner acts on the claim.
    c.act({ action: 'stopComponent', component: 'kube-controller-manager' });
    c.runUntil(7000);
    const p = get<Pod>('Pod', 'db')!;
    expect(p.spec?.nodeName).toBeUndefined();
    expect(p.status?.conditions?.find((x) => x.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'SchedulerError',
      message: 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded',
    });
  });

  it('leaves a pod whose Immediate claim is unbound Pending with the PreFilter reason', () => {
    const immediate = { ...claim, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } } } };
    const c = createCluster({ ...emptyScenario(), objects: [node('node-a', 'zone-a'), immediate, pod] });
    c.runUntil(2000);
    const p = c.objects().find((o) => o.kind === 'Pod') as Pod;
    expect(p.status?.conditions?.find((x) => x.type === 'PodScheduled')?.message).toBe(
      '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
  });
});
