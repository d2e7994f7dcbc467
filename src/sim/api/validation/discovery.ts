// discovery.k8s.io/v1 EndpointSlice (pkg/apis/discovery/validation).
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { FieldError } from '../field-errors';
import { duplicate, invalid, notSupported, required, tooMany } from '../field-errors';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../names';
import { list, validateDNS1123Label } from './common';
import { FIELD_IMMUTABLE } from '../messages';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const IPV4_RE = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

function validateEndpoints(slice: EndpointSlice): FieldError[] {
  const endpoints = list(slice.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}].addresses`;
    const addrs = list(ep?.addresses);
    if (addrs.length === 0) errs.push(required(p, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(tooMany(p, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => {
      if (slice.addressType === 'IPv4' && !IPV4_RE.test(a)) errs.push(invalid(`${p}[${j}]`, a, 'must be a valid IPv4 address'));
    });
    if (ep?.nodeName) for (const msg of isDNS1123Subdomain(ep.nodeName)) errs.push(invalid(`endpoints[${i}].nodeName`, ep.nodeName, msg));
  });
  return errs;
}

function validatePorts(slice: EndpointSlice): FieldError[] {
  const ports = list(slice.ports);
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = port?.name ?? '';
    if (name) errs.push(...validateDNS1123Label(name, `${p}.name`));
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (port?.protocol == null) errs.push(required(`${p}.protocol`, ''));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, true, nameIsDNSSubdomain);
  if (!slice.addressType) errs.push(required('addressType', ''));
  else if (!ADDRESS_TYPES.includes(slice.addressType)) errs.push(notSupported('addressType', slice.addressType, ADDRESS_TYPES));
  errs.push(...validateEndpoints(slice), ...validatePorts(slice));
  return errs;
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  const errs = [...validateObjectMetaUpdate(slice.metadata, old.metadata), ...validateEndpointSlice(slice)];
  if (slice.addressType !== old.addressType) errs.push(invalid('addressType', slice.addressType, FIELD_IMMUTABLE));
  return errs;
}
