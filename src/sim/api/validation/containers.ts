// Containers of a pod spec: names, images, ports, env, probes, pull and
// termination-message policies and resources (validateContainers and
// validateInitContainers upstream).
import type { Container, ContainerPort, EnvVar, Probe } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import { isInteger, isEnvVarName, isValidPortName, isValidPortNum, list, validateDNS1123Label, validateNonnegative } from './common';
import { validateResourceRequirements } from './resources';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function validateContainerPorts(ports: readonly ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((port, i) => {
    const p = `${path}[${i}]`;
    if (port?.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const msg of msgs) errs.push(invalid(`${p}.name`, port.name, msg));
      else if (names.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      else names.add(port.name);
    }
    if (!port?.containerPort) errs.push(required(`${p}.containerPort`, ''));
    else for (const msg of isValidPortNum(port.containerPort)) errs.push(invalid(`${p}.containerPort`, port.containerPort, msg));
    if (port?.hostPort) for (const msg of isValidPortNum(port.hostPort)) errs.push(invalid(`${p}.hostPort`, port.hostPort, msg));
    if (!port?.protocol) errs.push(required(`${p}.protocol`, ''));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: readonly EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((ev, i) => {
    const p = `${path}[${i}]`;
    if (!ev?.name) errs.push(required(`${p}.name`, ''));
    else for (const msg of isEnvVarName(ev.name)) errs.push(invalid(`${p}.name`, ev.name, msg));
    if (ev?.valueFrom && ev.value) errs.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
  });
  return errs;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

function validateProbe(probe: Probe | undefined, path: string, mustSucceedOnce: boolean): FieldError[] {
  if (probe == null) return [];
  const errs: FieldError[] = [];
  const set = HANDLERS.filter((h) => probe[h] != null);
  if (set.length === 0) errs.push(required(path, 'must specify a handler type'));
  else if (set.length > 1) errs.push(forbidden(`${path}.${set[1]}`, 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    if (probe[f] != null) errs.push(...validateNonnegative(probe[f], `${path}.${f}`));
  }
  if (probe.terminationGracePeriodSeconds != null && !(probe.terminationGracePeriodSeconds > 0)) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  // Liveness and startup probes stop at the first success.
  if (mustSucceedOnce && isInteger(probe.successThreshold) && probe.successThreshold !== 1) {
    errs.push(invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return errs;
}

/** Checks every container type shares (validateContainerCommon). */
function validateContainerCommon(ctr: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!ctr?.name) errs.push(required(`${path}.name`, ''));
  else errs.push(...validateDNS1123Label(ctr.name, `${path}.name`));
  if (!ctr?.image) errs.push(required(`${path}.image`, ''));
  const tmp = ctr?.terminationMessagePolicy;
  if (!tmp) errs.push(required(`${path}.terminationMessagePolicy`, ''));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validateContainerPorts(ctr?.ports, `${path}.ports`));
  errs.push(...validateEnv(ctr?.env, `${path}.env`));
  const pull = ctr?.imagePullPolicy;
  if (!pull) errs.push(required(`${path}.imagePullPolicy`, ''));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${path}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(ctr?.resources, `${path}.resources`));
  return errs;
}

/** Pod-wide host ports must be unique per hostIP/protocol/port (init containers are checked one by one). */
function checkHostPortConflicts(containers: readonly Container[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((ctr, ci) => {
    list(ctr?.ports).forEach((port, pi) => {
      if (!port?.hostPort) return;
      const key = `${port.hostIP ?? ''}/${port.protocol ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateProbes(ctr: Container, path: string): FieldError[] {
  return [
    ...validateProbe(ctr.livenessProbe, `${path}.livenessProbe`, true),
    ...validateProbe(ctr.readinessProbe, `${path}.readinessProbe`, false),
    ...validateProbe(ctr.startupProbe, `${path}.startupProbe`, true),
  ];
}

export function validateContainers(containers: readonly Container[] | undefined, path: string): FieldError[] {
  const all = list(containers);
  if (all.length === 0) return [required(path, '')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  all.forEach((ctr, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(ctr, p));
    if (names.has(ctr?.name)) errs.push(duplicate(`${p}.name`, ctr.name));
    else names.add(ctr?.name);
    if (ctr) errs.push(...validateProbes(ctr, p));
    if (ctr?.restartPolicy != null) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(all, path));
  return errs;
}

/** Init containers: names unique across init and regular containers; probes only for sidecars (restartPolicy Always). */
export function validateInitContainers(containers: readonly Container[] | undefined, regular: readonly Container[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(list(regular).map((c) => c?.name));
  list(containers).forEach((ctr, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(ctr, p));
    const sidecar = ctr?.restartPolicy === 'Always';
    if (ctr?.restartPolicy != null && !sidecar) errs.push(notSupported(`${p}.restartPolicy`, ctr.restartPolicy, ['Always']));
    if (names.has(ctr?.name)) errs.push(duplicate(`${p}.name`, ctr.name));
    else if (ctr?.name) names.add(ctr.name);
    errs.push(...checkHostPortConflicts([ctr], path).map((e) => ({ ...e, field: e.field.replace(`${path}[0]`, p) })));
    if (!ctr) return;
    if (sidecar) errs.push(...validateProbes(ctr, p));
    else {
      const msg = 'may not be set for init containers without restartPolicy=Always';
      if (ctr.lifecycle) errs.push(forbidden(`${p}.lifecycle`, msg));
      if (ctr.livenessProbe) errs.push(forbidden(`${p}.livenessProbe`, msg));
      if (ctr.readinessProbe) errs.push(forbidden(`${p}.readinessProbe`, msg));
      if (ctr.startupProbe) errs.push(forbidden(`${p}.startupProbe`, msg));
    }
  });
  return errs;
}
