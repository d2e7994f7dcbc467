// The simulated cloud's instance inventory: one virtual machine per worker
// machine, as EC2 or Compute Engine list them. Not an upstream component;
// it answers what k8s.io/cloud-provider's InstancesV2 asks (cloud.go:
// InstanceExists, InstanceShutdown, InstanceMetadata). An instance is
// running or stopped as its machine is powered (cluster/machines.ts), and
// terminated for good by the deleteMachine action: a terminated instance no
// longer exists for InstanceExists, which is what makes the cloud node
// lifecycle controller delete its Node.
import type { Node } from '../api/types';
import { tryParseQuantity } from '../api/quantity';
import type { Rng } from '../kernel/rng';

/** ProviderName(): providerIDs are kubeviz://<zone>/<node>. */
export const PROVIDER_NAME = 'kubeviz';
/** Where an instance runs when its Node names no zone. */
export const DEFAULT_ZONE = 'kubeviz-1a';
export const DEFAULT_REGION = 'kubeviz-1';

// The well-known labels the cloud reads a machine's placement from (k8s.io/api/core/v1 well_known_labels.go).
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_ZONE_BETA = 'failure-domain.beta.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';
export const LABEL_REGION_BETA = 'failure-domain.beta.kubernetes.io/region';
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
export const LABEL_INSTANCE_TYPE_BETA = 'beta.kubernetes.io/instance-type';

export type InstanceState = 'running' | 'stopped' | 'terminated';

export interface Instance {
  /** The cloud's own id, i-0123456789abcdef0 style. */
  id: string;
  /** The machine's hostname, which is its Node's name. */
  name: string;
  providerID: string;
  zone: string;
  region: string;
  instanceType: string;
  privateIP: string;
  state: InstanceState;
  /** Virtual ms of its launch. */
  launchedAt: number;
}

/** What InstancesV2.InstanceMetadata answers (cloudprovider.InstanceMetadata). */
export interface InstanceMetadata {
  providerID: string;
  instanceType: string;
  nodeAddresses: Array<{ type: string; address: string }>;
  zone: string;
  region: string;
}

/** "us-east-1a" -> "us-east-1", "us-central1-b" -> "us-central1"; zones not named that way belong to the default region. */
export function regionOf(zone: string): string {
  const m = /^(.*\d)-?[a-z]$/.exec(zone);
  return m ? m[1] : DEFAULT_REGION;
}

/**
 * A machine type named after its size, in Compute Engine's manner:
 * kv1-standard-4 (4 vCPU, 16 GiB: 4 GiB per vCPU), kv1-highmem-4 (8 GiB per
 * vCPU), kv1-highcpu-4 (1 GiB per vCPU), else kv1-custom-CPU-MEMORY_MIB.
 */
export function instanceTypeFor(capacity: Record<string, string> | undefined): string {
  const cpu = tryParseQuantity(capacity?.cpu ?? '4');
  const mem = tryParseQuantity(capacity?.memory ?? '16Gi');
  const cpus = cpu ? Math.max(1, Math.ceil(cpu.milli / 1000)) : 4;
  const mib = mem ? Math.round(mem.milli / 1000 / 2 ** 20) : 16 * 1024;
  const perCpu = mib / cpus;
  if (perCpu === 4096) return `kv1-standard-${cpus}`;
  if (perCpu === 8192) return `kv1-highmem-${cpus}`;
  if (perCpu === 1024) return `kv1-highcpu-${cpus}`;
  return `kv1-custom-${cpus}-${mib}`;
}

interface Record_ {
  instance: Omit<Instance, 'state'>;
  terminated: boolean;
}

export class Instances {
  /** Every instance ever launched, in launch order; terminated ones stay listed, as clouds show them for a while. */
  private readonly all: Record_[] = [];

  constructor(
    private readonly rng: Rng,
    /** Whether the machine under a node has power now. */
    private readonly powered: (node: string) => boolean,
  ) {}

  /** A machine for this Node joins: its instance is launched (a Node re-added under a terminated name gets a new one). */
  launch(node: Node, privateIP: string, now: number): Instance {
    const name = node.metadata!.name!;
    const live = this.find(name);
    if (live) return this.view(live);
    const labels = node.metadata?.labels ?? {};
    const zone = labels[LABEL_ZONE] ?? labels[LABEL_ZONE_BETA] ?? DEFAULT_ZONE;
    const region = labels[LABEL_REGION] ?? labels[LABEL_REGION_BETA] ?? regionOf(zone);
    const instanceType = labels[LABEL_INSTANCE_TYPE] ?? labels[LABEL_INSTANCE_TYPE_BETA] ?? instanceTypeFor(node.status?.capacity as Record<string, string> | undefined);
    const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? privateIP;
    const rec: Record_ = {
      instance: { id: this.newId(), name, providerID: `${PROVIDER_NAME}://${zone}/${name}`, zone, region, instanceType, privateIP: address, launchedAt: now },
      terminated: false,
    };
    this.all.push(rec);
    return this.view(rec);
  }

  /** deleteMachine: the instance is terminated and gone. False when the node has no live instance. */
  terminate(name: string): Instance | undefined {
    const rec = this.find(name);
    if (!rec) return undefined;
    rec.terminated = true;
    return this.view(rec);
  }

  /** The live (not terminated) instance of a node, found by providerID first and by name when the Node has none (as InstancesV2 implementations do). */
  forNode(node: Node): Instance | undefined {
    const providerID = node.spec?.providerID;
    const rec = providerID ? this.all.find((r) => !r.terminated && r.instance.providerID === providerID) : this.find(node.metadata!.name!);
    return rec ? this.view(rec) : undefined;
  }

  byName(name: string): Instance | undefined {
    const rec = this.find(name);
    return rec ? this.view(rec) : undefined;
  }

  /** Was this node's last instance terminated (and none launched since)? */
  isTerminated(name: string): boolean {
    for (let i = this.all.length - 1; i >= 0; i--) if (this.all[i].instance.name === name) return this.all[i].terminated;
    return false;
  }

  list(): Instance[] {
    return this.all.map((r) => this.view(r));
  }

  private find(name: string): Record_ | undefined {
    return this.all.find((r) => !r.terminated && r.instance.name === name);
  }

  private view(r: Record_): Instance {
    const state: InstanceState = r.terminated ? 'terminated' : this.powered(r.instance.name) ? 'running' : 'stopped';
    return { ...r.instance, state };
  }

  /** i- and 17 hex digits, drawn from the seed. */
  private newId(): string {
    let s = '';
    while (s.length < 17) s += this.rng.nextUint32().toString(16).padStart(8, '0');
    return `i-${s.slice(0, 17)}`;
  }
}
