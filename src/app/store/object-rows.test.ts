import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sim/api/types';
import { objectRow } from './object-rows';

const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec, status }) as KubeObject;

describe('a Service row', () => {
  it('shows its cluster IP, or headless for clusterIP None', () => {
    expect(objectRow(svc({ type: 'ClusterIP', clusterIP: '10.96.4.2', ports: [{ port: 80, protocol: 'TCP' }] }))).toMatchObject({ status: '10.96.4.2', detail: 'ClusterIP · 80/TCP' });
    expect(objectRow(svc({ type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 6379 }] }))).toMatchObject({ status: 'headless', detail: 'ClusterIP · 6379/TCP' });
  });

  it("shows a LoadBalancer's external address as kubectl's EXTERNAL-IP does: pending until the cloud gives one", () => {
    const spec = { type: 'LoadBalancer', clusterIP: '10.103.160.230', ports: [{ port: 80, protocol: 'TCP' }] };
    expect(objectRow(svc(spec)).detail).toBe('LoadBalancer · 80/TCP · external <pending>');
    expect(objectRow(svc(spec, { loadBalancer: { ingress: [{ ip: '203.0.113.1', ipMode: 'VIP' }] } })).detail).toBe('LoadBalancer · 80/TCP · external 203.0.113.1');
  });
});
