// The story of dns-follows-pod.yaml through the CLI, as a user would check
// it: `sim kubectl FILE --until D -- exec client -- nslookup ...` before the
// drain at 40 s, while db-0 is away, and once it is back on another node.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const FILE = fileURLToPath(new URL('../scenario/examples/dns-follows-pod.yaml', import.meta.url));

function kubectl(until: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(['kubectl', FILE, '--until', until, '--', ...args], (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** db-0's address and node, from `get pod -o wide` (IP and NODE columns). */
function db0(until: string): { ip: string; node: string } {
  const r = kubectl(until, 'get', 'pod', 'db-0', '-o', 'wide', '--no-headers');
  const cols = r.out.trim().split(/\s+/);
  return { ip: cols[5], node: cols[6] };
}

describe('dns-follows-pod: the name db-0.db follows db-0 to its new node', () => {
  it('before the drain: busybox nslookup prints the kube-dns server and db-0 on node-2', () => {
    const before = db0('30s');
    expect(before.node).toBe('node-2');
    const r = kubectl('30s', 'exec', 'client', '--', 'nslookup', 'db-0.db');
    expect(r).toMatchObject({ code: 0, err: '' });
    // busybox's format: Address with ":53"; the first search name answered (db-0.db has 1 dot < ndots 5).
    expect(r.out).toBe(['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10:53', '', 'Name:\tdb-0.db.default.svc.cluster.local', `Address: ${before.ip}`, ''].join('\n'));
  });

  it('while db-0 shuts down on the drained node its name is NXDOMAIN, and nslookup exits 1', () => {
    const r = kubectl('45s', 'exec', 'client', '--', 'nslookup', 'db-0.db');
    expect(r.code).toBe(1);
    expect(r.out).toBe(['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10:53', '', "** server can't find db-0.db: NXDOMAIN", ''].join('\n'));
    expect(r.err).toBe('command terminated with exit code 1');
  });

  it('after: the same name answers with the new address, on another node; the ClusterIP name never changed', () => {
    const before = db0('30s');
    const after = db0('60s');
    expect(after.node).not.toBe('node-2');
    expect(after.ip).not.toBe(before.ip);
    expect(kubectl('60s', 'exec', 'client', '--', 'nslookup', 'db-0.db').out).toContain(`Name:\tdb-0.db.default.svc.cluster.local\nAddress: ${after.ip}\n`);
    const read = (t: string) => /Address: (\S+)\n\n?$/.exec(kubectl(t, 'exec', 'client', '--', 'nslookup', 'db-read').out)?.[1];
    expect(read('30s')).toMatch(/^10\.(9[6-9]|1[01]\d)\./);
    expect(read('60s')).toBe(read('30s'));
  });

  it("cat /etc/resolv.conf shows what the kubelet gave the client: the search list, kube-dns, ndots:5 (the CLI drops the last newline)", () => {
    const r = kubectl('10s', 'exec', 'client', '--', 'cat', '/etc/resolv.conf');
    expect(r.out).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5');
  });

  it('other commands: a clear error naming what exec can run', () => {
    const r = kubectl('10s', 'exec', 'client', '--', 'ls', '/');
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: kubeviz simulates containers without processes, so exec cannot run "ls /"; it answers: nslookup NAME [SERVER], cat /etc/resolv.conf, cat /etc/hosts, hostname');
  });
});
