// VolumeBinding's assume caches, after upstream
// pkg/scheduler/framework/plugins/volumebinding/assume_cache.go: the
// scheduler's informer copy of each PV and PVC, overlaid with the versions
// Reserve assumed (a PV pre-bound to a claim, a claim given a selected node)
// until the informer brings a newer version of the object or the binding is
// reverted. So the next pod's cycle, which may run before the PreBind writes
// come back through the watch, does not pick the same volume twice.
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/types';
import type { VolumeListers } from '../framework/types';

type Versioned = { metadata?: { resourceVersion?: string } };

const rvOf = (o: Versioned | undefined): number => Number(o?.metadata?.resourceVersion ?? 0);

interface Assumed<T> {
  obj: T;
  /** The resourceVersion of the informer object the assumption was made from. */
  base: number;
}

class AssumeCache<T extends Versioned> {
  private readonly assumed = new Map<string, Assumed<T>>();

  constructor(private readonly api: (key: string) => T | undefined) {}

  /** The assumed object while it is newer than the informer's, else the informer's. */
  get(key: string): T | undefined {
    const api = this.api(key);
    const a = this.assumed.get(key);
    if (!a) return api;
    if (!api || rvOf(api) > a.base) {
      this.assumed.delete(key);
      return api;
    }
    return a.obj;
  }

  /** The informer's object, ignoring assumptions (GetAPIObj). */
  getAPI(key: string): T | undefined {
    return this.api(key);
  }

  /** Assume: refused (false) when the object is older than what the cache holds. */
  assume(key: string, obj: T): boolean {
    const cur = this.get(key);
    if (!cur || rvOf(obj) < rvOf(cur)) return false;
    this.assumed.set(key, { obj, base: rvOf(cur) });
    return true;
  }

  restore(key: string): void {
    this.assumed.delete(key);
  }

  get size(): number {
    return this.assumed.size;
  }

  overlay(key: string, api: T): T {
    return this.assumed.size === 0 ? api : (this.get(key) ?? api);
  }
}

export class PVAssumeCache {
  private readonly cache: AssumeCache<PersistentVolume>;

  constructor(private readonly listers: () => VolumeListers | undefined) {
    this.cache = new AssumeCache((name) => listers()?.volume(name));
  }

  get(name: string): PersistentVolume | undefined {
    return this.cache.get(name);
  }

  getAPI(name: string): PersistentVolume | undefined {
    return this.cache.getAPI(name);
  }

  /** ListPVs(class): every volume of the class, assumed versions in place of the informer's. */
  listByClass(className: string, classOf: (pv: PersistentVolume) => string): PersistentVolume[] {
    const out: PersistentVolume[] = [];
    for (const api of this.listers()?.volumes() ?? []) {
      const pv = this.cache.overlay(api.metadata!.name!, api);
      if (classOf(pv) === className) out.push(pv);
    }
    return out;
  }

  assume(pv: PersistentVolume): boolean {
    return this.cache.assume(pv.metadata!.name!, pv);
  }

  restore(name: string): void {
    this.cache.restore(name);
  }
}

export class PVCAssumeCache {
  private readonly cache: AssumeCache<PersistentVolumeClaim>;

  constructor(listers: () => VolumeListers | undefined) {
    this.cache = new AssumeCache((key) => {
      const i = key.indexOf('/');
      return listers()?.claim(key.slice(0, i), key.slice(i + 1));
    });
  }

  get(key: string): PersistentVolumeClaim | undefined {
    return this.cache.get(key);
  }

  getAPI(key: string): PersistentVolumeClaim | undefined {
    return this.cache.getAPI(key);
  }

  assume(key: string, pvc: PersistentVolumeClaim): boolean {
    return this.cache.assume(key, pvc);
  }

  restore(key: string): void {
    this.cache.restore(key);
  }
}
