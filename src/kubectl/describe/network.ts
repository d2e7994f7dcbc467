// kubectl describe service and endpointslice: describeService (with
// formatEndpointSlices: ready addresses host:port, at most three, then
// "+ N more...") and describeEndpointSliceV1 in
// staging/src/k8s.io/kubectl/pkg/describe/describe.go.
import type { Event, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../sim/api/types';
import { formatLabels } from '../humanize';
import { annotationsMultiline, eventsSection, labelsMultiline } from './sections';
import { describeText, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3 } from './writer';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The EndpointSlices of a Service (label kubernetes.io/service-name). */
export const slicesOf = (svc: KubeObject, slices: readonly KubeObject[]): EndpointSlice[] =>
  slices.filter((s) => s.metadata.namespace === svc.metadata.namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name) as unknown as EndpointSlice[];

const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

function formatEndpointSlices(slices: readonly EndpointSlice[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const s of slices) {
    const ready = (e: NonNullable<EndpointSlice['endpoints']>[number]) => e.conditions?.ready == null || e.conditions.ready;
    if (!s.ports?.length) {
      for (const e of s.endpoints ?? []) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const p of s.ports) {
      if ((p.name ?? '') !== portName) continue;
      for (const e of s.endpoints ?? []) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(hostPort(e.addresses[0], p.port ?? 0));
        count++;
      }
    }
  }
  const s = list.join(',');
  return more ? `${s} + ${count - max} more...` : s;
}

export function describeService(obj: KubeObject, slices: readonly EndpointSlice[], events: readonly Event[] | undefined, now: number): string {
  const svc = obj as unknown as Service;
  const spec = svc.spec ?? {};
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${svc.metadata?.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${svc.metadata?.namespace}\n`);
    labelsMultiline(w, 'Labels', svc.metadata?.labels);
    annotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
    w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
    if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length) w.write(LEVEL_0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : (i.hostname ?? ''))).join(', ')}\n`);
    for (const p of spec.ports ?? []) {
      const name = p.name || '<unset>';
      w.write(LEVEL_0, `Port:\t${name}\t${p.port}/${p.protocol}\n`);
      w.write(LEVEL_0, `TargetPort:\t${p.targetPort ?? p.port}/${p.protocol}\n`);
      if (p.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol}\n`);
      w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if (spec.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
    eventsSection(w, events, now);
  });
}

export function describeEndpointSlice(obj: KubeObject, events: readonly Event[] | undefined, now: number): string {
  const eps = obj as unknown as EndpointSlice;
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${eps.metadata?.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${eps.metadata?.namespace}\n`);
    labelsMultiline(w, 'Labels', eps.metadata?.labels);
    annotationsMultiline(w, 'Annotations', eps.metadata?.annotations);
    w.write(LEVEL_0, `AddressType:\t${eps.addressType}\n`);
    if (!eps.ports?.length) w.write(LEVEL_0, 'Ports: <unset>\n');
    else {
      w.write(LEVEL_0, 'Ports:\n');
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      for (const p of eps.ports) w.write(LEVEL_1, `${p.name || '<unset>'}\t${p.port != null ? p.port : '<unset>'}\t${p.protocol ?? ''}\n`);
    }
    if (!eps.endpoints?.length) w.write(LEVEL_0, 'Endpoints: <none>\n');
    else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const e of eps.endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`);
        w.write(LEVEL_2, 'Conditions:\n');
        w.write(LEVEL_3, `Ready:\t${e.conditions?.ready != null ? String(e.conditions.ready) : '<unset>'}\n`);
        w.write(LEVEL_2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
        if (e.targetRef) w.write(LEVEL_2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`);
        w.write(LEVEL_2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
        w.write(LEVEL_2, `Zone:\t${e.zone ?? '<unset>'}\n`);
      }
    }
    eventsSection(w, events, now);
  });
}
