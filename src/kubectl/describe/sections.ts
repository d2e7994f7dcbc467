// The pieces every describer shares, after staging/src/k8s.io/kubectl/pkg/describe/describe.go:
// labels and annotations one per line (annotations over 140 characters
// folded and cut at 138), taints and tolerations, containers (ports, state,
// last state, ready, restarts, requests and limits, environment, mounts),
// the pod template of a workload, and the Events table.
import type { Container, ContainerState, ContainerStatus, Event, PodTemplateSpec, ResourceRequirements, Taint, Toleration, Volume } from 'kubernetes-types/core/v1';
import { formatQuantity, tryParseQuantity } from '../../sim/api/quantity';
import { byString, rfc1123z, since } from '../humanize';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer';

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

/** printLabelsMultilineWithIndent. */
export function labelsMultiline(w: PrefixWriter, title: string, labels: Readonly<Record<string, string>> | undefined, initialIndent = ''): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(byString);
  if (keys.length === 0) return w.write(LEVEL_0, '<none>\n');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, `${initialIndent}\t`);
    w.write(LEVEL_0, `${k}=${labels![k]}\n`);
  });
}

const shorten = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}...` : s);

/** printAnnotationsMultiline. */
export function annotationsMultiline(w: PrefixWriter, title: string, annotations: Readonly<Record<string, string>> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort(byString);
  if (keys.length === 0) return w.write(LEVEL_0, '<none>\n');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    const value = annotations![k].replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${k}: ${value}\n`);
    }
  });
}

/** Taint.ToString: "key=value:Effect", "key:Effect". */
export function taintString(t: Taint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** printTaintsMultilineWithIndent: sorted by effect, then key. */
export function taintsMultiline(w: PrefixWriter, title: string, taints: readonly Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const sorted = [...(taints ?? [])].sort((a, b) => byString(`${a.effect},${a.key}`, `${b.effect},${b.key}`));
  if (sorted.length === 0) return w.write(LEVEL_0, '<none>\n');
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${taintString(t)}\n`);
  });
}

/** printTolerationsMultilineWithIndent: sorted by key. */
export function tolerationsMultiline(w: PrefixWriter, title: string, tolerations: readonly Toleration[] | undefined, initialIndent = ''): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  const sorted = [...(tolerations ?? [])].sort((a, b) => byString(a.key ?? '', b.key ?? ''));
  if (sorted.length === 0) return w.write(LEVEL_0, '<none>\n');
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, `${initialIndent}\t`);
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    // An Exists toleration without a value tolerates every value.
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds != null) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

const quantity = (s: string): string => {
  const q = tryParseQuantity(s);
  return q ? formatQuantity(q) : s;
};

/** describeResources: Limits then Requests, names sorted. */
export function resourcesSection(w: PrefixWriter, r: ResourceRequirements | undefined, level: number): void {
  if (!r) return;
  for (const [title, list] of [
    ['Limits', r.limits],
    ['Requests', r.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort(byString);
    if (names.length === 0) continue;
    w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${quantity(list![n])}\n`);
  }
}

function stateSection(w: PrefixWriter, title: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(LEVEL_2, `${title}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
  }
}

function probeText(p: NonNullable<Container['livenessProbe']>): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
    return `http-get ${scheme}://${p.httpGet.host ?? ''}:${p.httpGet.port}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

/** describeContainers: one block per container; with statuses for a pod, without for a template ("  " indent). */
export function containersSection(
  w: PrefixWriter,
  label: string,
  containers: readonly Container[] | undefined,
  statuses: readonly ContainerStatus[] | undefined,
  space = '',
  /** Resolves a downward-API field path against the pod (describe pod); templates have none. */
  resolve: (fieldPath: string) => string = () => '',
): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  const cs = containers ?? [];
  w.write(LEVEL_0, `${space}${label}:${cs.length === 0 ? ' <none>' : ''}\n`);
  for (const c of cs) {
    const st = statuses ? byName.get(c.name) : undefined;
    w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
    if (st) w.write(LEVEL_2, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`);
    if (st) w.write(LEVEL_2, `Image ID:\t${st.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(LEVEL_2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(LEVEL_2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command?.length) {
      w.write(LEVEL_2, 'Command:\n');
      for (const part of c.command) for (const s of part.split('\n')) w.write(LEVEL_3, `${s}\n`);
    }
    if (c.args?.length) {
      w.write(LEVEL_2, 'Args:\n');
      for (const part of c.args) for (const s of part.split('\n')) w.write(LEVEL_3, `${s}\n`);
    }
    if (st) {
      stateSection(w, 'State', st.state);
      if (st.lastState?.terminated) stateSection(w, 'Last State', st.lastState);
      w.write(LEVEL_2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(LEVEL_2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    resourcesSection(w, c.resources, LEVEL_2);
    if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${probeText(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${probeText(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${probeText(c.startupProbe)}\n`);
    const env = c.env ?? [];
    w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      if (!e.valueFrom) {
        (e.value ?? '').split('\n').forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      } else if (e.valueFrom.fieldRef) {
        const ref = e.valueFrom.fieldRef;
        w.write(LEVEL_3, `${e.name}:\t${resolve(ref.fieldPath)} (${ref.apiVersion ?? 'v1'}:${ref.fieldPath})\n`);
      } else if (e.valueFrom.secretKeyRef) {
        w.write(LEVEL_3, `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${e.valueFrom.secretKeyRef.optional ?? false}\n`);
      } else if (e.valueFrom.configMapKeyRef) {
        w.write(LEVEL_3, `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${e.valueFrom.configMapKeyRef.optional ?? false}\n`);
      }
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => byString(a.mountPath, b.mountPath));
    w.write(LEVEL_2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
      w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

/** describeVolumes, for the volume types a simulated pod can carry. */
export function volumesSection(w: PrefixWriter, volumes: readonly Volume[] | undefined, space = ''): void {
  const vs = volumes ?? [];
  if (vs.length === 0) return w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of vs) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.emptyDir) {
      const limit = v.emptyDir.sizeLimit ? quantity(v.emptyDir.sizeLimit) : '<unset>';
      w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${limit}\n`);
    } else if (v.hostPath) {
      w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`);
    } else if (v.configMap) {
      w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional ?? false}\n`);
    } else if (v.secret) {
      w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional ?? false}\n`);
    } else {
      w.write(LEVEL_1, '<unknown>\n');
    }
  }
}

/** DescribePodTemplate, as Deployments, ReplicaSets, DaemonSets and Jobs show theirs. */
export function podTemplateSection(w: PrefixWriter, template: PodTemplateSpec | undefined): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) return w.write(LEVEL_1, '<unset>');
  labelsMultiline(w, 'Labels', template.metadata?.labels, '  ');
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) annotationsMultiline(w, '  Annotations', template.metadata?.annotations);
  const spec = template.spec;
  if (spec?.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec?.initContainers?.length) containersSection(w, 'Init Containers', spec.initContainers, undefined, '  ');
  containersSection(w, 'Containers', spec?.containers, undefined, '  ');
  volumesSection(w, spec?.volumes, '  ');
  if (spec?.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  labelsMultiline(w, 'Node-Selectors', spec?.nodeSelector, '  ');
  tolerationsMultiline(w, 'Tolerations', spec?.tolerations, '  ');
}

const eventTime = (e: Event): string => e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? '';

/** DescribeEvents: oldest first; "3m (x4 over 5m)" for repeats; flushed so the table aligns on its own. */
export function eventsSection(w: PrefixWriter, events: readonly Event[] | undefined, now: number): void {
  if (!events) return;
  if (events.length === 0) return w.write(LEVEL_0, 'Events:\t<none>\n');
  w.flush();
  const sorted = events
    .map((e, i) => ({ e, i, t: Date.parse(eventTime(e)) || 0 }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}
