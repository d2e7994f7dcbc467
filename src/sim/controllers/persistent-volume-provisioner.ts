// A simulated CSI external-provisioner (kubernetes-csi/external-provisioner
// on sig-storage-lib-external-provisioner), serving every StorageClass
// provisioner the PV controller hands claims to. Upstream it is a sidecar of
// each CSI driver's controller Deployment; kubeviz runs one inside
// kube-controller-manager, so it stops and starts with it, and writes
// through its client.
//
// A claim annotated volume.kubernetes.io/storage-provisioner with a class
// it serves is provisioned (for WaitForFirstConsumer, once the scheduler has
// set volume.kubernetes.io/selected-node): events "Provisioning" and, after
// PROVISION_MS, "ProvisioningSucceeded", and a PersistentVolume "pvc-<claim
// uid>" pre-bound to the claim, with the class's reclaim policy and, for a
// selected node with a zone, node affinity to topology.kubernetes.io/zone of
// that node (an Immediate class without a node takes the first zone its
// allowedTopologies name). The PV controller then binds the two. A Released
// volume it made with reclaim policy Delete is deleted after DELETE_MS.
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import {
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  NOT_SUPPORTED_PROVISIONER,
} from '../api/persistent-volume-helpers';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Timer } from '../kernel/kernel';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

export const PROVISIONER = 'csi-provisioner';
/** How long creating a volume takes in the simulated storage backend (CreateVolume). */
export const PROVISION_MS = 2_000;
/** How long deleting one takes (DeleteVolume). */
export const DELETE_MS = 1_000;
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

const pvNameFor = (pvc: PersistentVolumeClaim) => `pvc-${pvc.metadata!.uid}`;

export class PersistentVolumeProvisioner implements Controller {
  readonly name = PROVISIONER;
  private readonly claimQueue: WorkQueue;
  private readonly volumeQueue: WorkQueue;
  private readonly claims: SharedInformer;
  private readonly volumes: SharedInformer;
  private readonly classes: SharedInformer;
  private readonly nodes: SharedInformer;
  /** Operations in flight (a CreateVolume or DeleteVolume call), by claim key or volume name. */
  private readonly inFlight = new Map<string, Timer>();
  private readonly recorders = new Map<string, EventRecorder>();

  constructor(private readonly ctx: ControllerContext) {
    const { kernel, informers } = ctx;
    this.claimQueue = new WorkQueue(kernel, `${this.name}.claims`, (key) => this.syncClaim(key));
    this.volumeQueue = new WorkQueue(kernel, `${this.name}.volumes`, (key) => this.syncVolume(key));
    this.claims = informers.for('PersistentVolumeClaim');
    this.volumes = informers.for('PersistentVolume');
    this.classes = informers.for('StorageClass');
    this.nodes = informers.for('Node');
    this.claims.on({ add: (o) => this.claimQueue.add(keyOf(o)), update: (o) => this.claimQueue.add(keyOf(o)) });
    this.volumes.on({ add: (o) => this.volumeQueue.add(keyOf(o)), update: (o) => this.volumeQueue.add(keyOf(o)) });
  }

  stop(): void {
    this.claimQueue.shutDown();
    this.volumeQueue.shutDown();
    for (const t of this.inFlight.values()) this.ctx.kernel.cancel(t);
    this.inFlight.clear();
  }

  /** Events come from the driver's provisioner, as "source.component: <driver>". */
  private recorder(driver: string): EventRecorder {
    let r = this.recorders.get(driver);
    if (!r) this.recorders.set(driver, (r = this.ctx.recorder(driver)));
    return r;
  }

  private classOf(pvc: PersistentVolumeClaim): StorageClass | undefined {
    const name = claimClass(pvc);
    return name ? (this.classes.get(name) as StorageClass | undefined) : undefined;
  }

  /** shouldProvision: handed to us (the annotation), unbound, not being deleted, and placed if the class waits for a consumer. */
  private syncClaim(key: string): SyncResult {
    const pvc = this.claims.get(key) as PersistentVolumeClaim | undefined;
    if (!pvc || pvc.spec?.volumeName || pvc.metadata?.deletionTimestamp || this.inFlight.has(key)) return 'done';
    const sc = this.classOf(pvc);
    const driver = pvc.metadata?.annotations?.[ANN_STORAGE_PROVISIONER];
    if (!sc || !driver || sc.provisioner !== driver || driver === NOT_SUPPORTED_PROVISIONER) return 'done';
    const selected = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selected) return 'done';
    if (this.volumes.get(pvNameFor(pvc))) return 'done';
    let zone: string | undefined;
    if (selected) {
      const node = this.nodes.get(selected) as Node | undefined;
      if (!node) {
        this.recorder(driver).event(pvc as KubeObject, 'Warning', 'ProvisioningFailed', `failed to get target node: node "${selected}" not found`);
        // rescheduleProvisioning: without the annotation the scheduler picks a node again.
        const { [ANN_SELECTED_NODE]: _n, ...annotations } = pvc.metadata!.annotations!;
        void _n;
        this.ctx.client.update({ ...pvc, metadata: { ...pvc.metadata, annotations } } as KubeObject);
        return 'done';
      }
      zone = node.metadata?.labels?.[ZONE_LABEL];
    } else {
      zone = sc.allowedTopologies?.flatMap((t) => t.matchLabelExpressions ?? []).find((e) => e.key === ZONE_LABEL)?.values[0];
    }
    this.recorder(driver).event(pvc as KubeObject, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
    const uid = pvc.metadata!.uid;
    this.inFlight.set(
      key,
      this.ctx.kernel.after(PROVISION_MS, `${this.name}.provision`, () => {
        this.inFlight.delete(key);
        // The claim may have gone (or been bound elsewhere) while the volume was made.
        const cur = this.claims.get(key) as PersistentVolumeClaim | undefined;
        if (!cur || cur.metadata?.uid !== uid || cur.spec?.volumeName) return;
        this.createVolume(cur, sc, driver, zone);
      }),
    );
    return 'done';
  }

  private createVolume(pvc: PersistentVolumeClaim, sc: StorageClass, driver: string, zone: string | undefined): void {
    const name = pvNameFor(pvc);
    const pv: PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: driver } },
      spec: {
        accessModes: pvc.spec?.accessModes,
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: pvc.metadata!.namespace,
          name: pvc.metadata!.name,
          uid: pvc.metadata!.uid,
          resourceVersion: pvc.metadata!.resourceVersion,
        },
        csi: { driver, volumeHandle: `vol-${pvc.metadata!.uid}`, fsType: 'ext4' },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata!.name,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        ...(sc.mountOptions?.length ? { mountOptions: sc.mountOptions } : {}),
        ...(zone ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] }] } } } : {}),
      },
    };
    const r = this.ctx.client.create(pv as KubeObject);
    const rec = this.recorder(driver);
    if (r.ok || r.status.reason === 'AlreadyExists') rec.event(pvc as KubeObject, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
    else rec.event(pvc as KubeObject, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata!.name}": ${r.status.message}`);
  }

  /** shouldDelete: a Released volume it made, to be deleted by policy. */
  private syncVolume(name: string): SyncResult {
    const pv = this.volumes.get(name) as PersistentVolume | undefined;
    if (!pv || pv.metadata?.deletionTimestamp || this.inFlight.has(name)) return 'done';
    const driver = pv.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
    if (!driver || !pv.spec?.csi || pv.spec.csi.driver !== driver) return 'done';
    if (pv.status?.phase !== 'Released' || pv.spec.persistentVolumeReclaimPolicy !== 'Delete') return 'done';
    const uid = pv.metadata!.uid;
    this.inFlight.set(
      name,
      this.ctx.kernel.after(DELETE_MS, `${this.name}.delete`, () => {
        this.inFlight.delete(name);
        const cur = this.volumes.get(name) as PersistentVolume | undefined;
        if (!cur || cur.metadata?.uid !== uid || cur.status?.phase !== 'Released') return;
        const r = this.ctx.client.delete('PersistentVolume', undefined, name, { preconditions: { uid } });
        if (!r.ok && r.status.reason !== 'NotFound')
          this.recorder(driver).event(cur as KubeObject, 'Warning', 'VolumeFailedDelete', r.status.message);
      }),
    );
    return 'done';
  }
}

export const newPersistentVolumeProvisioner: ControllerFactory = (ctx) => new PersistentVolumeProvisioner(ctx);
