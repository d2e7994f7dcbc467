// core/v1 Service (ValidateService, ValidateServiceUpdate upstream).
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import { validateLabels } from '../labels';
import { nameIsDNS1035Label } from '../names';
import { isValidPortName, isValidPortNum, list, validateDNS1123Label, validateDNS1123Subdomain } from './common';
import { PORT_PROTOCOLS } from './containers';
import { goServicePortKey } from './go-format';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const KUBELET_PORT = 10250;
const IPV4_RE = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const IPV6_RE = /^[0-9a-fA-F:.]+$/;
const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** clusterIPs as the strategy normalises them: clusterIPs, else [clusterIP]. */
export function clusterIPsOf(svc: Service): readonly string[] {
  const ips = list(svc.spec?.clusterIPs);
  if (ips.length) return ips;
  return svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
}

export const isHeadless = (svc: Service): boolean => {
  const ips = clusterIPsOf(svc);
  return ips.length === 1 && ips[0] === 'None';
};

const isValidIP = (ip: string) => IPV4_RE.test(ip) || (ip.includes(':') && IPV6_RE.test(ip));

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp?.name) errs.push(required(`${path}.name`, ''));
  else if (sp?.name) {
    errs.push(...validateDNS1123Label(sp.name, `${path}.name`));
    if (names.has(sp.name)) errs.push(duplicate(`${path}.name`, sp.name));
    else names.add(sp.name);
  }
  for (const msg of isValidPortNum(sp?.port ?? 0)) errs.push(invalid(`${path}.port`, sp?.port ?? 0, msg));
  if (!sp?.protocol) errs.push(required(`${path}.protocol`, ''));
  else if (!PORT_PROTOCOLS.includes(sp.protocol)) errs.push(notSupported(`${path}.protocol`, sp.protocol, PORT_PROTOCOLS));
  const tp = sp?.targetPort;
  if (typeof tp === 'number') for (const msg of isValidPortNum(tp)) errs.push(invalid(`${path}.targetPort`, tp, msg));
  else if (typeof tp === 'string') for (const msg of isValidPortName(tp)) errs.push(invalid(`${path}.targetPort`, tp, msg));
  return errs;
}

function validateClusterIPs(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const ips = list(spec.clusterIPs);
  if (spec.type === 'ExternalName') return errs;
  if (ips.length && spec.clusterIP !== undefined && spec.clusterIP !== ips[0]) {
    errs.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  }
  clusterIPsOf(svc).forEach((ip, i) => {
    if (i === 0 && ip === 'None') return;
    if (ip === 'None') errs.push(invalid(`spec.clusterIPs[${i}]`, ip, 'must not have more than one value when `clusterIP` is `None`'));
    else if (ip && !isValidIP(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, IP_MESSAGE));
  });
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, true, nameIsDNS1035Label);
  const spec = svc.spec ?? {};
  const ports = list(spec.ports);
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports', ''));
  switch (spec.type) {
    case 'LoadBalancer':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
      ports.forEach((p, i) => {
        if (p?.port === KUBELET_PORT) errs.push(invalid(`spec.ports[${i}]`, p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      });
      break;
    case 'NodePort':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (clusterIPsOf(svc).length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
      else errs.push(required('spec.externalName', ''));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity', ''));
  else if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig != null) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPs(svc));
  if (!spec.type) errs.push(required('spec.type', ''));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p?.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  // Two ports may not share (protocol, port).
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p?.protocol}/${p?.port}`;
    if (seen.has(key)) errs.push(duplicate(`spec.ports[${i}]`, goServicePortKey(p?.protocol, p?.port)));
    seen.add(key);
  });
  const externallyAccessible = spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && list(spec.externalIPs).length > 0);
  if (spec.externalTrafficPolicy) {
    if (!externallyAccessible) errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.internalTrafficPolicy != null && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  return errs;
}

/** A service's cluster IPs are fixed once allocated (ExternalName services excepted). */
function validateClusterIPsUpdate(svc: Service, old: Service): FieldError[] {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return [];
  if (isHeadless(svc) && isHeadless(old)) return [];
  const next = clusterIPsOf(svc);
  const prev = clusterIPsOf(old);
  if (prev.length === 0) return [];
  if (next.length === 0) return [invalid('spec.clusterIPs[0]', next, 'primary clusterIP can not be unset')];
  const errs: FieldError[] = [];
  const n = Math.min(next.length, prev.length);
  for (let i = 0; i < n; i++) if (next[i] !== prev[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, next, 'may not change once set'));
  return errs;
}

export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  return [...validateObjectMetaUpdate(svc.metadata, old.metadata), ...validateClusterIPsUpdate(svc, old), ...validateService(svc)];
}
