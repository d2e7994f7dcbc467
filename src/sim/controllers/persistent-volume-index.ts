// The PV controller's volume index, after upstream
// pkg/controller/volume/persistentvolume/index.go (persistentVolumeOrderedIndex):
// volumes grouped by their set of access modes; a claim looks first among
// the volumes whose modes are the fewest that still include every mode it
// asks for, so a ReadWriteOnce claim takes a ReadWriteOnce volume before a
// ReadWriteOnce+ReadOnlyMany one. Within a group, FindMatchingVolume picks
// the smallest fitting Available volume (or the one pre-bound to the claim).
import type { PersistentVolume, PersistentVolumeClaim } from '../api/types';
import { findMatchingVolume } from '../api/persistent-volume-helpers';

/** The index key of a volume: its access modes, sorted ("ReadOnlyMany,ReadWriteOnce"). */
const modesKey = (modes: readonly string[] | undefined): string => [...new Set(modes ?? [])].sort().join(',');

/**
 * allPossibleMatchingAccessModes: the keys of existing volumes that contain
 * every requested mode, fewest modes first (ties by name, for a stable order
 * where upstream sorts by length only).
 */
function matchingModeSets(requested: readonly string[], keys: Iterable<string>): string[] {
  const want = new Set(requested);
  const out: string[] = [];
  for (const k of keys) {
    const have = new Set(k ? k.split(',') : []);
    if ([...want].every((m) => have.has(m))) out.push(k);
  }
  const size = (k: string) => (k ? k.split(',').length : 0);
  return out.sort((a, b) => size(a) - size(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** findBestMatchForClaim: the volume for a claim, or undefined. `delayBinding`: only a volume pre-bound to it. */
export function findBestMatchForClaim(pvc: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const byModes = new Map<string, PersistentVolume[]>();
  for (const pv of volumes) {
    const k = modesKey(pv.spec?.accessModes);
    let l = byModes.get(k);
    if (!l) byModes.set(k, (l = []));
    l.push(pv);
  }
  for (const k of matchingModeSets(pvc.spec?.accessModes ?? [], byModes.keys())) {
    const best = findMatchingVolume(pvc, byModes.get(k)!, undefined, undefined, delayBinding);
    if (best) return best;
  }
  return undefined;
}
