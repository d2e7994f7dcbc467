// kubectl get services and endpointslices: printService (getServiceExternalIP,
// makePortString) and printEndpointSlice (formatDiscoveryPorts,
// formatDiscoveryEndpoints: at most three, then "+ N more...") in
// pkg/printers/internalversion/printers.go.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../sim/api/types';
import { formatLabels, since } from '../humanize';
import { col, nameCol, type PrintContext, type TableDef } from './table';

const LB_WIDTH = 16;

function externalIP(svc: Service, wide: boolean): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      let lb = ingress.join(',');
      if (!wide && lb.length > LB_WIDTH) lb = `${lb.slice(0, LB_WIDTH - 3)}...`;
      if (external.length) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

/** makePortString: "80/TCP", "80:30080/TCP", comma-joined. */
export function servicePorts(svc: Service): string {
  return (svc.spec?.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

export const serviceTable: TableDef = {
  columns: [nameCol, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', { priority: 1 })],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const svc = obj as unknown as Service;
    const cells = [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? '',
      svc.spec?.clusterIPs?.[0] ?? '<none>',
      externalIP(svc, ctx.wide),
      servicePorts(svc) || '<none>',
      since(svc.metadata?.creationTimestamp, ctx.now),
    ];
    return ctx.wide ? [...cells, formatLabels(svc.spec?.selector)] : cells;
  },
};

/** listWithMoreString. */
function listWithMore(list: string[], count: number, max: number): string {
  const s = list.join(',');
  if (count > max) return `${s} + ${count - max} more...`;
  return s || '<unset>';
}

export const endpointSliceTable: TableDef = {
  columns: [nameCol, col('AddressType'), col('Ports'), col('Endpoints'), col('Age')],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const eps = obj as unknown as EndpointSlice;
    const ports = eps.ports ?? [];
    const portList = ports.slice(0, 3).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
    const addresses = (eps.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [
      eps.metadata?.name ?? '',
      eps.addressType ?? '',
      listWithMore(portList, ports.length, 3),
      listWithMore(addresses.slice(0, 3), addresses.length, 3),
      since(eps.metadata?.creationTimestamp, ctx.now),
    ];
  },
};
