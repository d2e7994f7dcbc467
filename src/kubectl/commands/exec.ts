// kubectl exec (POD | TYPE/NAME) [-c CONTAINER] -- COMMAND [args...], after
// staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go. The simulation runs no
// processes, so exec runs only the commands it can answer from the cluster:
// nslookup (a lookup followed through resolv.conf, kube-proxy and a CoreDNS
// replica: src/sim/addons/dns-lookup.ts, printed as bind's nslookup prints
// it, or busybox's in a busybox image), cat /etc/resolv.conf and
// /etc/hosts (what the kubelet writes into the pod), and hostname. Anything
// else gets a clear error listing these. Nothing here writes: a lookup
// reads the store and the node agents' tables, as kubectl's reads do.
//
// A command exiting non-zero prints kubectl's "command terminated with exit
// code N" on stderr. Not here: `exec POD COMMAND` without `--`, which kubectl
// v1.34 refuses (the shared flag parser does not keep where `--` was, so both
// forms run), -f, and interactive sessions (-i and -t are accepted and
// change nothing).
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { CLUSTER_DOMAIN } from '../../sim/addons/dns-objects';
import { resolve, type DnsLookup } from '../../sim/addons/dns-lookup';
import { formatResolvConf, podResolver } from '../../sim/addons/dns-resolv-conf';
import { clusterDnsView } from '../../sim/addons/dns-view';
import { KubectlError, errorLine } from '../result';
import { attachablePod } from './attachable-pod';
import type { Command, CommandContext } from './command';

/** What exec can run, for the error that meets anything else. */
export const EXEC_SUPPORTED = ['nslookup NAME [SERVER]', 'cat /etc/resolv.conf', 'cat /etc/hosts', 'hostname'];

/** podcmd.FindOrDefaultContainerByName: -c, else the default-container annotation, else the first (saying so when there are more). */
function containerFor(ctx: CommandContext, pod: Pod): Container {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const asked = ctx.flags.str('container');
  if (asked) {
    const c = all.find((x) => x.name === asked);
    if (!c) throw errorLine(`container ${asked} not found in pod ${pod.metadata?.name}`);
    return c;
  }
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  const byAnnotation = annotated ? pod.spec?.containers?.find((c) => c.name === annotated) : undefined;
  if (byAnnotation) return byAnnotation;
  const first = pod.spec!.containers[0];
  if ((pod.spec?.containers.length ?? 0) > 1 && !ctx.flags.bool('quiet')) ctx.inv.warn(`Defaulted container ${JSON.stringify(first.name)} out of: ${all.map((c) => c.name).join(', ')}`);
  return first;
}

/** The apiserver opens the stream through the pod's kubelet: an unreachable one fails as upstream's does. */
function requireKubelet(ctx: CommandContext, pod: Pod): void {
  const node = pod.spec?.nodeName;
  if (!node) throw new KubectlError(`error: unable to upgrade connection: pod does not have a host assigned`);
  const machine = ctx.cluster.machine(node);
  const dial = `Error from server: error dialing backend: dial tcp ${pod.status?.hostIP ?? node}:10250`;
  if (!machine.powered) throw new KubectlError(`${dial}: connect: no route to host`);
  if (machine.partitioned) throw new KubectlError(`${dial}: i/o timeout`);
  if (!machine.kubeletRunning) throw new KubectlError(`${dial}: connect: connection refused`);
}

type Output = { stdout: string; exitCode: number };

/** Which nslookup the image ships: busybox's, or bind's (dnsutils and most distributions). */
const isBusybox = (image: string | undefined) => /(^|\/)busybox(:|@|$)/.test(image ?? '');

/** What nslookup prints for a lookup: Server/Address, then the answer or why there is none. */
export function nslookupOutput(l: DnsLookup, busybox: boolean): Output {
  if (l.outcome === 'timeout' || !l.server) return { stdout: ';; connection timed out; no servers could be reached\n\n', exitCode: 1 };
  const port = busybox ? `${l.server.ip}:53` : `${l.server.ip}#53`;
  let out = `Server:\t\t${l.server.ip}\nAddress:\t${port}\n\n`;
  if (l.outcome === 'nxdomain') return { stdout: `${out}** server can't find ${l.asked}: NXDOMAIN\n\n`, exitCode: 1 };
  if (l.outcome === 'nodata') return { stdout: `${out}*** Can't find ${l.asked}: No answer\n\n`, exitCode: 0 };
  for (const r of l.answer?.records ?? []) {
    if (r.type === 'A') out += `Name:\t${r.name}\nAddress: ${r.ip}\n`;
    else if (r.type === 'PTR') out += `${r.name}\tname = ${r.target}${busybox ? '' : '.'}\n`;
    else out += `${r.name}\tcanonical name = ${r.target}${busybox ? '' : '.'}\n`;
  }
  return { stdout: `${out}\n`, exitCode: 0 };
}

function nslookup(ctx: CommandContext, pod: Pod, container: Container, args: string[]): Output {
  const positional: string[] = [];
  for (const a of args) {
    if (!a.startsWith('-')) positional.push(a);
    else if (!/^-(type|query|q)=(a|A|ptr|PTR)$/.test(a) && a !== '-debug') {
      return { stdout: `nslookup: the simulation answers A and PTR queries only (${a} is not supported)\n`, exitCode: 1 };
    }
  }
  if (positional.length === 0 || positional.length > 2) return { stdout: 'Usage: nslookup [-type=a|ptr] HOST [DNS_SERVER]\n', exitCode: 1 };
  const [name, server] = positional;
  const lookup = resolve(clusterDnsView(ctx.cluster), { pod: { namespace: pod.metadata!.namespace!, name: pod.metadata!.name! } }, name, server ? { server } : {});
  return nslookupOutput(lookup, isBusybox(container.image));
}

/** The kubelet's managed /etc/hosts (kubelet_pods.go managedHostsFileContent). */
export function hostsFile(pod: Pod): string {
  const hostname = podHostname(pod);
  const ip = pod.status?.podIP ?? '';
  const domain = pod.spec?.subdomain ? `${pod.spec.subdomain}.${pod.metadata?.namespace}.svc.${CLUSTER_DOMAIN}` : '';
  let out = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  if (ip) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length) {
    out += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return out;
}

/** The pod's hostname: spec.hostname, else its name, cut to 63 characters. */
const podHostname = (pod: Pod) => (pod.spec?.hostname || pod.metadata?.name || '').slice(0, 63);

function runCommand(ctx: CommandContext, pod: Pod, container: Container, argv: string[]): Output {
  const [cmd, ...args] = argv;
  const base = cmd.slice(cmd.lastIndexOf('/') + 1);
  if ((base === 'sh' || base === 'bash' || base === 'ash') && args[0] === '-c' && args.length === 2) {
    const inner = args[1].trim().split(/\s+/).filter(Boolean);
    if (inner.length) return runCommand(ctx, pod, container, inner);
  }
  if (base === 'nslookup') return nslookup(ctx, pod, container, args);
  if (base === 'cat' && args.length === 1 && args[0] === '/etc/resolv.conf') {
    // A host-network pod with ClusterFirst gets the node's file, as the kubelet decides.
    return { stdout: formatResolvConf(podResolver(pod)), exitCode: 0 };
  }
  if (base === 'cat' && args.length === 1 && args[0] === '/etc/hosts') return { stdout: hostsFile(pod), exitCode: 0 };
  if (base === 'hostname' && args.length === 0) return { stdout: `${podHostname(pod)}\n`, exitCode: 0 };
  throw errorLine(
    `kubeviz simulates containers without processes, so exec cannot run ${JSON.stringify(argv.join(' '))}; it answers: ${EXEC_SUPPORTED.join(', ')}`,
  );
}

function exec(ctx: CommandContext): void {
  ctx.inv.requireServer();
  if (ctx.args.length === 0) throw errorLine("expected 'exec (POD | TYPE/NAME) COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD or TYPE/NAME and COMMAND are required arguments for the exec command\nSee 'kubectl exec -h' for help and examples");
  const argv = ctx.args.slice(1);
  if (argv.length === 0) throw errorLine('you must specify at least one command for the container');
  const { pod } = attachablePod(ctx, ctx.args[0], (kind) => `cannot attach to ${kind}: selector for ${kind} not implemented`);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw errorLine(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = containerFor(ctx, pod);
  requireKubelet(ctx, pod);
  const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === container.name);
  if (!status?.state?.running) throw errorLine(`unable to upgrade connection: container not found (${JSON.stringify(container.name)})`);
  const out = runCommand(ctx, pod, container, argv);
  ctx.inv.print(out.stdout);
  if (out.exitCode !== 0) ctx.inv.fail(`command terminated with exit code ${out.exitCode}`);
}

export const execCommand: Command = {
  name: 'exec',
  group: 'Troubleshooting and Debugging Commands',
  short: 'Execute a command in a container',
  usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]',
  examples: [
    "# Look up a Service's name from pod mypod, as its resolver and the cluster DNS answer it\n  kubectl exec mypod -- nslookup web",
    '# Show the resolver configuration the kubelet gave pod mypod\n  kubectl exec mypod -- cat /etc/resolv.conf',
    '# Run in the first pod of the deployment mydeployment\n  kubectl exec deploy/mydeployment -- nslookup kubernetes.default',
  ],
  flags: [
    { name: 'container', shorthand: 'c', type: 'string', usage: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
    { name: 'stdin', shorthand: 'i', type: 'bool', default: 'false', usage: 'Pass stdin to the container (here: accepted; the simulated commands read no input)' },
    { name: 'tty', shorthand: 't', type: 'bool', default: 'false', usage: 'Stdin is a TTY (here: accepted, no terminal is opened)' },
    { name: 'quiet', shorthand: 'q', type: 'bool', default: 'false', usage: 'Only print output from the remote session' },
    { name: 'pod-running-timeout', type: 'string', default: '1m0s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
  ],
  run: exec,
  completeArgs: { names: 'pods' },
};
