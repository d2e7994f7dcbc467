// The resource types kubectl finds through discovery (kubectl api-resources)
// and the names it accepts for them: plural, singular, short names, the Kind,
// each optionally with its group ("deployments.apps"), as the RESTMapper
// resolves them. "all" is the category `kubectl get all` expands.
import { RESOURCES, type KubeObject, type ResourceInfo } from '../sim/api/types';

export interface KubectlResource {
  info: ResourceInfo;
  /** Plural, as in URLs and NotFound messages: "pods". */
  plural: string;
  singular: string;
  shortNames: readonly string[];
}

// The short names (upstream's ShortNames(), "po", "deploy") are the aliases that are neither plural nor singular.
export const KUBECTL_RESOURCES: readonly KubectlResource[] = RESOURCES.map((info) => {
  const singular = info.kind.toLowerCase();
  return { info, plural: info.resource, singular, shortNames: info.aliases.filter((a) => a !== singular && a !== info.resource) };
});

/** `kubectl get all`: the "all" category, in upstream's order, as far as the simulation has those kinds. */
export const ALL_CATEGORY = ['pods', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'jobs'].filter((p) => KUBECTL_RESOURCES.some((r) => r.plural === p));

/** Finds the type a user named ("po", "pods", "Pod", "deploy.apps", "deployments.v1.apps"). */
export function findResource(typed: string): KubectlResource | undefined {
  const lower = typed.toLowerCase();
  const dot = lower.indexOf('.');
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const rest = dot < 0 ? '' : lower.slice(dot + 1);
  return KUBECTL_RESOURCES.find((r) => {
    if (name !== r.plural && name !== r.singular && !r.shortNames.includes(name)) return false;
    if (!rest) return true;
    const group = r.info.group;
    const version = r.info.apiVersion.split('/').pop()!;
    return rest === group || rest === `${version}.${group}` || (group === '' && rest === version);
  });
}

/** "deployments.apps", as NotFound messages name a resource. */
export function groupResource(r: KubectlResource): string {
  return r.info.group ? `${r.plural}.${r.info.group}` : r.plural;
}

/** "deployment.apps", the kind as `-o name` and the kind/name prefixes print it. */
export function kindPrefix(kind: string): string {
  const r = KUBECTL_RESOURCES.find((x) => x.info.kind === kind);
  const lower = kind.toLowerCase();
  return r?.info.group ? `${lower}.${r.info.group}` : lower;
}

/** "deployment.apps/web". */
export const objectName = (o: KubeObject): string => `${kindPrefix(o.kind)}/${o.metadata.name}`;
