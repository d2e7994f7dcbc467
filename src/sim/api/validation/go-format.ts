// Values as Go's %#v prints them in upstream error messages
// ("v1.LabelSelector{MatchLabels:map[string]string{...}, ...}"), so messages
// about structs read as a real apiserver's do. Pointers inside structs, which
// Go prints as addresses, are shown as &value to stay deterministic.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { GoLiteral } from '../field-errors';
import { goLiteral } from '../field-errors';

const q = (s: unknown): string => JSON.stringify(typeof s === 'string' ? s : s == null ? '' : String(s));

export function goStringMapText(m: Readonly<Record<string, unknown>> | null | undefined): string {
  if (m == null || typeof m !== 'object') return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(m[k])}`).join(', ')}}`;
}

/** A map[string]string value, e.g. pod labels, as a field error shows it. */
export const goStringMap = (m: Readonly<Record<string, unknown>> | null | undefined): GoLiteral => goLiteral(goStringMapText(m));

export function goStringSlice(v: readonly unknown[] | null | undefined): string {
  return Array.isArray(v) ? `[]string{${v.map(q).join(', ')}}` : '[]string(nil)';
}

export function goLabelSelectorText(sel: LabelSelector): string {
  const exprs = Array.isArray(sel.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${q(e?.key)}, Operator:${q(e?.operator)}, Values:${goStringSlice(e?.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMapText(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** A *metav1.LabelSelector as field errors print it: the struct, or null for nil. */
export function goLabelSelector(sel: LabelSelector | null | undefined): GoLiteral | null {
  return sel == null ? null : goLiteral(goLabelSelectorText(sel));
}

export function goIntOrStringText(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

export const goIntOrString = (v: unknown): GoLiteral => goLiteral(goIntOrStringText(v));

/** The (protocol, port) key upstream uses to find duplicate service ports. */
export function goServicePortKey(protocol: unknown, port: unknown): GoLiteral {
  return goLiteral(
    `core.ServicePort{Name:"", Protocol:${q(protocol)}, AppProtocol:(*string)(nil), Port:${typeof port === 'number' ? port : 0}, ` +
      `TargetPort:${goIntOrStringText(undefined)}, NodePort:0}`,
  );
}

const ptr = (type: string, v: string | undefined): string => (v === undefined ? `(*${type})(nil)` : `&${v}`);

export function goTaint(t: { key?: unknown; value?: unknown; effect?: unknown; timeAdded?: unknown }): GoLiteral {
  return goLiteral(
    `core.Taint{Key:${q(t.key)}, Value:${q(t.value)}, Effect:${q(t.effect)}, TimeAdded:${ptr('v1.Time', t.timeAdded == null ? undefined : q(t.timeAdded))}}`,
  );
}

export function goToleration(t: { key?: unknown; operator?: unknown; value?: unknown; effect?: unknown; tolerationSeconds?: unknown }): GoLiteral {
  const secs = t.tolerationSeconds == null ? undefined : String(t.tolerationSeconds);
  return goLiteral(
    `core.Toleration{Key:${q(t.key)}, Operator:${q(t.operator)}, Value:${q(t.value)}, Effect:${q(t.effect)}, TolerationSeconds:${ptr('int64', secs)}}`,
  );
}

export function goNodeAddress(a: { type?: unknown; address?: unknown }): GoLiteral {
  return goLiteral(`core.NodeAddress{Type:${q(a.type)}, Address:${q(a.address)}}`);
}

export function goStrategy(kind: 'apps.DeploymentStrategy' | 'apps.DaemonSetUpdateStrategy', s: { type?: unknown; rollingUpdate?: unknown } | undefined): GoLiteral {
  const ru = kind === 'apps.DeploymentStrategy' ? 'apps.RollingUpdateDeployment' : 'apps.RollingUpdateDaemonSet';
  const rolling = s?.rollingUpdate == null ? `(*${ru})(nil)` : `&${ru}{...}`;
  return goLiteral(`${kind}{Type:${q(s?.type)}, RollingUpdate:${rolling}}`);
}

const RFC3339_UTC_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$/;

/** Go prints metav1.Time through its String(): "2024-05-01 10:00:00 +0000 UTC". */
export function goTime(t: unknown): GoLiteral | string {
  if (typeof t !== 'string') return '';
  const m = RFC3339_UTC_RE.exec(t);
  return m ? goLiteral(`${m[1]} ${m[2]} +0000 UTC`) : t;
}

/** Whole pod templates are far too long to print; upstream dumps the struct, we name it. */
export const goPodTemplateSpec = (): GoLiteral => goLiteral('core.PodTemplateSpec{...}');
