// Pod and pod-template defaulting (pkg/apis/core/v1/defaults.go and the
// generated +default markers). Templates get the PodSpec and Container
// defaults only; requests-from-limits, enableServiceLinks and host-network
// ports are Pod-only upstream (SetDefaults_Pod), so templates stay as written.
import type { Container, ContainerPort, EnvVar, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, Volume } from 'kubernetes-types/core/v1';
import { isObject, mapShared, withChanges } from './copy-on-write';
import { defaultPullPolicy } from './image';
import { formatQuantity, tryParseQuantity } from './quantity';

const ceilAway = (x: number) => (x < 0 ? -Math.ceil(-x) : Math.ceil(x));

/**
 * SetDefaults_ResourceList rounds values up to milli precision; storing and
 * reading back then prints them in canonical form ("0.5" -> "500m").
 * Values that do not parse are left for validation to report.
 */
export function defaultResourceList<L extends Record<string, string>>(list: L | undefined): L | undefined {
  if (!isObject(list)) return list;
  let out: Record<string, string> | undefined;
  for (const [name, raw] of Object.entries(list)) {
    const q = tryParseQuantity(typeof raw === 'string' ? raw.trim() : raw);
    if (!q) continue;
    const canonical = formatQuantity(Number.isInteger(q.milli) ? q : { ...q, milli: ceilAway(q.milli) });
    if (canonical !== raw) (out ??= { ...list })[name] = canonical;
  }
  return (out as L | undefined) ?? list;
}

function defaultResources(res: ResourceRequirements | undefined, requestsFromLimits: boolean): ResourceRequirements | undefined {
  if (!isObject(res)) return res;
  const limits = defaultResourceList(res.limits);
  let requests = defaultResourceList(res.requests);
  if (requestsFromLimits && isObject(limits)) {
    // A resource with a limit but no request is requested at its limit.
    for (const name of Object.keys(limits)) {
      if (!requests || !(name in requests)) requests = { ...requests, [name]: limits[name] };
    }
  }
  const ch: Partial<ResourceRequirements> = {};
  if (limits !== res.limits) ch.limits = limits;
  if (requests !== res.requests) ch.requests = requests;
  return withChanges(res, ch);
}

function defaultProbe(p: Probe | undefined): Probe | undefined {
  if (!isObject(p)) return p;
  const ch: Partial<Probe> = {};
  if (!p.timeoutSeconds) ch.timeoutSeconds = 1;
  if (!p.periodSeconds) ch.periodSeconds = 10;
  if (!p.successThreshold) ch.successThreshold = 1;
  if (!p.failureThreshold) ch.failureThreshold = 3;
  if (isObject(p.httpGet) && (!p.httpGet.path || !p.httpGet.scheme)) {
    ch.httpGet = { ...p.httpGet, path: p.httpGet.path || '/', scheme: p.httpGet.scheme || 'HTTP' };
  }
  return withChanges(p, ch);
}

function defaultPort(port: ContainerPort, hostNetwork: boolean): ContainerPort {
  if (!isObject(port)) return port;
  const ch: Partial<ContainerPort> = {};
  if (!port.protocol) ch.protocol = 'TCP';
  if (hostNetwork && !port.hostPort) ch.hostPort = port.containerPort;
  return withChanges(port, ch);
}

function defaultEnvVar(ev: EnvVar): EnvVar {
  const ref = ev?.valueFrom?.fieldRef;
  if (!isObject(ref) || ref.apiVersion) return ev;
  return { ...ev, valueFrom: { ...ev.valueFrom, fieldRef: { ...ref, apiVersion: 'v1' } } };
}

function defaultContainer(c: Container, isPod: boolean, hostNetwork: boolean): Container {
  if (!isObject(c)) return c;
  const ch: Partial<Container> = {};
  if (!c.imagePullPolicy) ch.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) ch.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) ch.terminationMessagePolicy = 'File';
  const ports = mapShared(c.ports, (p) => defaultPort(p, isPod && hostNetwork));
  if (ports !== c.ports) ch.ports = ports;
  const env = mapShared(c.env, defaultEnvVar);
  if (env !== c.env) ch.env = env;
  const resources = defaultResources(c.resources, isPod);
  if (resources !== c.resources) ch.resources = resources;
  for (const f of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const p = defaultProbe(c[f]);
    if (p !== c[f]) ch[f] = p;
  }
  return withChanges(c, ch);
}

const SOURCE_FREE_KEYS = new Set(['name']);
const DEFAULT_MODE = 0o644;

function defaultVolume(v: Volume): Volume {
  if (!isObject(v)) return v;
  if (Object.keys(v).every((k) => SOURCE_FREE_KEYS.has(k))) return { ...v, emptyDir: {} };
  const ch: Partial<Volume> = {};
  if (isObject(v.secret) && v.secret.defaultMode == null) ch.secret = { ...v.secret, defaultMode: DEFAULT_MODE };
  if (isObject(v.configMap) && v.configMap.defaultMode == null) ch.configMap = { ...v.configMap, defaultMode: DEFAULT_MODE };
  return withChanges(v, ch);
}

/** SetDefaults_PodSpec and the per-container defaults; isPod adds SetDefaults_Pod. */
export function defaultPodSpec(spec: PodSpec | undefined, isPod: boolean): PodSpec | undefined {
  if (!isObject(spec)) return spec;
  const ch: Partial<PodSpec> = {};
  const hostNetwork = spec.hostNetwork === true;
  const containers = mapShared(spec.containers, (c) => defaultContainer(c, isPod, hostNetwork));
  if (containers !== spec.containers) ch.containers = containers;
  const inits = mapShared(spec.initContainers, (c) => defaultContainer(c, isPod, hostNetwork));
  if (inits !== spec.initContainers) ch.initContainers = inits;
  const volumes = mapShared(spec.volumes, defaultVolume);
  if (volumes !== spec.volumes) ch.volumes = volumes;
  if (!spec.dnsPolicy) ch.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) ch.restartPolicy = 'Always';
  if (spec.securityContext == null) ch.securityContext = {};
  if (spec.terminationGracePeriodSeconds == null) ch.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) ch.schedulerName = 'default-scheduler';
  if (isPod && spec.enableServiceLinks == null) ch.enableServiceLinks = true;
  return withChanges(spec, ch);
}

export function defaultPodTemplate(tpl: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!isObject(tpl)) return tpl;
  const spec = defaultPodSpec(tpl.spec, false);
  return spec === tpl.spec ? tpl : { ...tpl, spec };
}
