// ImageLocality: favours nodes that already hold the pod's images, weighted
// by image size and by how widely the image has spread (so one node holding
// a popular image does not attract every pod). Upstream:
// pkg/scheduler/framework/plugins/imagelocality/image_locality.go.
//
// Names are matched as upstream does: the pod's image gets ":latest" when it
// has no tag, and nothing else; no "docker.io/library/" prefix is added
// (upstream leaves that as a TODO), so "nginx:1.27" matches a node image
// named "nginx:1.27" but not "docker.io/library/nginx:1.27".
import type { Pod } from '../../api/types';
import type { Container } from 'kubernetes-types/core/v1';
import type { PluginFactory } from '../framework/registry';
import type { NodeBatch } from '../framework/node-batch';
import type { CycleState, Handle, ImageStateSummary, NodeInfo, ScorePlugin } from '../framework/types';
import { MAX_NODE_SCORE } from '../framework/types';
import { LastCycle } from './last-cycle';

export const IMAGE_LOCALITY = 'ImageLocality';

const MB = 1024 * 1024;
/** Below this total (23 MiB) a node scores 0. */
export const MIN_THRESHOLD = 23 * MB;
/** Per container: a node scores 100 once the pod's images on it add up to this (1000 MiB) x containers. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** normalizedImageName: appends ":latest" when the last ':' does not come after the last '/'. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? name + ':latest' : name;
}

/** scaledImageScore: the image's size times the share of nodes holding it, truncated as int64(float64). */
export function scaledImageScore(size: number, numNodes: number, totalNumNodes: number): number {
  if (totalNumNodes <= 0) return 0;
  const spread = numNodes / totalNumNodes;
  return Math.trunc(size * spread);
}

/** calculatePriority: the clamped sum mapped linearly (integer division) onto 0..100. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let s = sumScores;
  if (s < MIN_THRESHOLD) s = MIN_THRESHOLD;
  else if (s > maxThreshold) s = maxThreshold;
  // | 0: a pod without containers would give -0.
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD)) | 0;
}

/** The normalized image names of init containers then containers. */
export function podImageNames(pod: Pod): string[] {
  const out: string[] = [];
  const add = (cs: Container[] | undefined) => {
    for (const c of cs ?? []) out.push(normalizedImageName(c.image ?? ''));
  };
  add(pod.spec?.initContainers);
  add(pod.spec?.containers);
  return out;
}

/** sumImageScores: over the pod's normalized image names, each present on the node counts (repeats included). */
export function sumImageScores(nodeInfo: NodeInfo, names: readonly string[], totalNumNodes: number): number {
  const states = nodeInfo.imageStates;
  let sum = 0;
  for (let i = 0; i < names.length; i++) {
    const st = states[names[i]];
    if (st) sum += scaledImageScore(st.size, st.numNodes, totalNumNodes);
  }
  return sum;
}

export const newImageLocality: PluginFactory = (_args, handle: Handle) => {
  // Upstream has no PreScore: the pod's names and the node count are worked
  // out at the cycle's first Score and kept for the rest of that cycle.
  const last = new LastCycle<{ names: string[]; totalNumNodes: number }>();
  const plugin: ScorePlugin = {
    name: IMAGE_LOCALITY,
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo) {
      const c = cycleFor(state, pod);
      return calculatePriority(sumImageScores(nodeInfo, c.names, c.totalNumNodes), c.names.length);
    },

    scoreNodes(state: CycleState, pod: Pod, batch: NodeBatch, out: number[]) {
      const c = cycleFor(state, pod);
      const { table, slots, count } = batch;
      // sumImageScores by image column: the pod's names some node holds, in the pod's order (repeats included).
      const columns: (readonly (ImageStateSummary | undefined)[])[] = [];
      for (const name of c.names) {
        const col = table.imageColumn(name);
        if (col) columns.push(col);
      }
      for (let k = 0; k < count; k++) {
        const slot = slots[k];
        let sum = 0;
        for (let i = 0; i < columns.length; i++) {
          const st = columns[i][slot];
          if (st) sum += scaledImageScore(st.size, st.numNodes, c.totalNumNodes);
        }
        out[k] = calculatePriority(sum, c.names.length);
      }
    },
  };
  function cycleFor(state: CycleState, pod: Pod): { names: string[]; totalNumNodes: number } {
    let c = last.get(state, pod);
    if (!c) {
      c = { names: podImageNames(pod), totalNumNodes: handle.snapshot().list().length };
      last.remember(state, pod, c);
    }
    return c;
  }
  return plugin;
};
