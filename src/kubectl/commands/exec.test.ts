import { describe, expect, it } from 'vitest';
import { clientPod, dnsCluster, dnsWorkloads, podOf } from '../../sim/addons/dns-testing';
import { completeKubectl } from '../complete';
import { runKubectl } from '../run';

function running() {
  const c = dnsCluster([...dnsWorkloads(), { ...clientPod('tools', 'default', 'c'), spec: { nodeName: 'c', containers: [{ name: 'dig', image: 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3' }] } }]);
  c.runUntil(20_000);
  return c;
}

describe('kubectl exec', () => {
  it("prints bind's nslookup for images other than busybox: Address with #53, one Name/Address pair per record", () => {
    const c = running();
    const r = runKubectl(c, 'exec tools -- nslookup db');
    const ips = ['db-0', 'db-1'].map((n) => podOf(c, 'default', n)!.status.podIP);
    expect(r.exitCode).toBe(0);
    expect(r.output.split('\n').slice(0, 3)).toEqual(['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10#53', '']);
    expect(r.output).toContain(`Name:\tdb.default.svc.cluster.local\nAddress: ${ips[0]}\n`);
    expect(r.output).toContain(`Name:\tdb.default.svc.cluster.local\nAddress: ${ips[1]}\n`);
    // PTR, as bind prints it (a trailing dot on the name).
    expect(runKubectl(c, 'exec tools -- nslookup 10.96.0.1').output).toContain('1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n');
  });

  it('times out when no CoreDNS replica is left, exit code 1', () => {
    const c = running();
    runKubectl(c, 'scale -n kube-system deployment coredns --replicas=0');
    c.runUntil(40_000);
    const r = runKubectl(c, 'exec client -- nslookup web');
    expect(r.output).toBe(';; connection timed out; no servers could be reached\n\n');
    expect(r.error).toBe('command terminated with exit code 1\n');
    expect(r.exitCode).toBe(1);
  });

  it("cat /etc/hosts is the kubelet's file: a StatefulSet pod's line has its hostname.subdomain FQDN", () => {
    const c = running();
    const ip = podOf(c, 'default', 'db-1')!.status.podIP;
    const r = runKubectl(c, 'exec db-1 -- cat /etc/hosts');
    expect(r.output.split('\n').slice(0, 1)).toEqual(['# Kubernetes-managed hosts file.']);
    expect(r.output.endsWith(`fe00::2\tip6-allrouters\n${ip}\tdb-1.db.default.svc.cluster.local\tdb-1\n`)).toBe(true);
    expect(runKubectl(c, 'exec db-1 -- hostname').output).toBe('db-1\n');
    // sh -c with one string runs the command inside.
    expect(runKubectl(c, "exec client -- sh -c 'cat /etc/resolv.conf'").output).toMatch(/^search default\.svc\.cluster\.local /);
  });

  it('finds the pod of TYPE/NAME, and fails as kubectl does for pods it cannot reach', () => {
    const c = running();
    expect(runKubectl(c, 'exec svc/db -- hostname').output).toMatch(/^db-[01]\n$/);
    expect(runKubectl(c, 'exec nope -- hostname').error).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(runKubectl(c, 'exec client').error).toBe('error: you must specify at least one command for the container\n');
    expect(runKubectl(c, 'exec client -c nope -- hostname').error).toBe('error: container nope not found in pod client\n');
    c.act({ action: 'powerOff', node: 'b' });
    const hostIP = (podOf(c, 'shop', 'buyer')!.status as { hostIP?: string }).hostIP;
    expect(runKubectl(c, 'exec -n shop buyer -- hostname').error).toBe(`Error from server: error dialing backend: dial tcp ${hostIP}:10250: connect: no route to host\n`);
  });

  it('is listed with its flags and completes pod names', () => {
    const c = running();
    expect(completeKubectl(c, 'exec cl')).toEqual(['client']);
    expect(completeKubectl(c, 'ex')).toContain('exec');
    expect(runKubectl(c, 'exec --help').output).toContain('kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]');
  });
});
