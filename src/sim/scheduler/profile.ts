// A scheduling profile: which plugins run at which extension point, their
// weights and args. The default is upstream's default profile (v1.30's
// default_plugins.go, without the in-tree EBSLimits, GCEPDLimits and
// AzureDiskLimits, whose volume types kubeviz does not simulate).

export type ExtensionPoint =
  | 'preEnqueue'
  | 'queueSort'
  | 'preFilter'
  | 'filter'
  | 'postFilter'
  | 'preScore'
  | 'score'
  | 'normalizeScore'
  | 'reserve'
  | 'permit'
  | 'preBind'
  | 'bind'
  | 'postBind';

export interface Profile {
  schedulerName: string;
  /** Enabled plugins in order (upstream's multiPoint expansion): each runs at every extension point it implements. */
  plugins: string[];
  /** Plugins disabled at one extension point only, e.g. { score: ['ImageLocality'] }. */
  disabled: Partial<Record<ExtensionPoint, string[]>>;
  /** Score weights. */
  weights: Record<string, number>;
  /** pluginConfig[].args by plugin name. */
  args: Record<string, Record<string, unknown>>;
  /** 0 means the adaptive default (50 - n/125, at least 5). */
  percentageOfNodesToScore: number;
}

export const DEFAULT_PLUGINS = [
  'SchedulingGates',
  'PrioritySort',
  'NodeUnschedulable',
  'NodeName',
  'TaintToleration',
  'NodeAffinity',
  'NodePorts',
  'NodeResourcesFit',
  'VolumeRestrictions',
  'NodeVolumeLimits',
  'VolumeBinding',
  'VolumeZone',
  'PodTopologySpread',
  'InterPodAffinity',
  'DefaultPreemption',
  'NodeResourcesBalancedAllocation',
  'ImageLocality',
  'DefaultBinder',
];

/** Upstream's default score weights. */
export const DEFAULT_WEIGHTS: Record<string, number> = {
  TaintToleration: 3,
  NodeAffinity: 2,
  NodeResourcesFit: 1,
  PodTopologySpread: 2,
  InterPodAffinity: 2,
  NodeResourcesBalancedAllocation: 1,
  ImageLocality: 1,
};

export function defaultProfile(): Profile {
  return {
    schedulerName: 'default-scheduler',
    plugins: [...DEFAULT_PLUGINS],
    disabled: {},
    weights: { ...DEFAULT_WEIGHTS },
    args: {},
    percentageOfNodesToScore: 0,
  };
}

/** How many nodes a cycle examines (upstream numFeasibleNodesToFind): all below 100, else a percentage, at least 100. */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  const MIN_FEASIBLE = 100;
  const MIN_PERCENTAGE = 5;
  if (numAllNodes < MIN_FEASIBLE) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_PERCENTAGE) percentage = MIN_PERCENTAGE;
  }
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return n < MIN_FEASIBLE ? MIN_FEASIBLE : n;
}
