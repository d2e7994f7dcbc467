import { describe, expect, it } from 'vitest';
import { clientPod, dnsCluster, dnsWorkloads } from '../../sim/addons/dns-testing';
import { runKubectl } from '../run';

describe('AttachablePodForObject, shared by logs and exec', () => {
  it("finds a Service's pod by its label-map selector, for logs as for exec (not any pod of the namespace)", () => {
    const c = dnsCluster([...dnsWorkloads(), clientPod('tools', 'default', 'c')]);
    c.runUntil(20_000);
    const logs = runKubectl(c, 'logs svc/db');
    // Two db pods match: kubectl says which one it reads.
    expect(logs.error).toMatch(/^Found 2 pods, using pod\/db-[01]\n?$/);
    expect(logs.output).toContain('(image nginx:1.27)');
    expect(runKubectl(c, 'exec svc/web -- hostname').output).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}\n$/);
  });
});
