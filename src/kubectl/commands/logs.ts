// kubectl logs POD [-c CONTAINER] [--tail N] [-p] [--timestamps], after
// staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go. There are no real
// processes in the simulation, so the lines are SIMULATED: made from the
// container's lifecycle as the kubelet reported it (when it started, its
// image, its restart count, how its last run ended) with a short startup
// banner for a few well-known images. What fails as it would fails in
// kubectl's words: a container still waiting to start, no previous run, a
// node the apiserver can not reach.
import type { Container, ContainerStatus } from 'kubernetes-types/core/v1';
import { parseImageRef } from '../../sim/api/image';
import { EPOCH_MS, virtualMs } from '../../sim/kernel/time';
import { KubectlError, errorLine } from '../result';
import { attachablePod } from './attachable-pod';
import type { Command, CommandContext } from './command';

interface Run {
  startedAt: string;
  finishedAt?: string;
  exitCode?: number;
  reason?: string;
  /** Which run this is: the restart count when it started. */
  restart: number;
}

interface Line {
  at: number;
  text: string;
}

const two = (n: number) => String(n).padStart(2, '0');
const utc = (ms: number) => new Date(EPOCH_MS + ms);

/** nginx's error log time: 2026/01/01 00:00:04 */
function nginxTime(ms: number): string {
  const d = utc(ms);
  return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function banner(image: string, at: number): string[] {
  const ref = parseImageRef(image);
  const repo = (ref?.repository ?? image).split('/').pop() ?? image;
  const tag = ref?.tag || 'latest';
  if (repo === 'nginx') {
    const t = nginxTime(at);
    const version = /^\d+\.\d+\.\d+$/.test(tag) ? tag : /^\d+\.\d+$/.test(tag) ? `${tag}.3` : '1.27.3';
    return [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: nginx/${version}`,
      `${t} [notice] 1#1: OS: Linux 6.1.0-27-amd64`,
      `${t} [notice] 1#1: start worker processes`,
      `${t} [notice] 1#1: start worker process 29`,
    ];
  }
  if (repo === 'redis') {
    const d = utc(at);
    const t = `${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.000`;
    return [`1:C ${t} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`, `1:C ${t} # Redis version=${/^\d/.test(tag) ? tag : '7.2.4'}, bits=64, commit=00000000, modified=0, pid=1, just started`, `1:M ${t} * Server initialized`, `1:M ${t} * Ready to accept connections tcp`];
  }
  if (repo === 'httpd') {
    const d = utc(at);
    const t = `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.000000 ${d.getUTCFullYear()}`;
    return [
      "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.0.2. Set the 'ServerName' directive globally to suppress this message",
      `[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations`,
    ];
  }
  return [];
}

function linesOf(c: Container, run: Run): Line[] {
  const start = virtualMs(run.startedAt);
  const out: Line[] = [{ at: start, text: `[kubeviz] simulated output of container ${JSON.stringify(c.name)} (image ${c.image}), started ${run.startedAt}${run.restart ? `, restart ${run.restart}` : ''}` }];
  for (const text of banner(c.image ?? '', start)) out.push({ at: start, text });
  if (run.finishedAt !== undefined) {
    out.push({ at: virtualMs(run.finishedAt), text: `[kubeviz] process exited with code ${run.exitCode ?? 0}${run.reason ? ` (${run.reason})` : ''} at ${run.finishedAt}` });
  }
  return out;
}

/** RFC3339Nano, as --timestamps prefixes lines. */
const nanoStamp = (ms: number) => `${utc(ms).toISOString().slice(0, 19)}.${String(Math.floor(ms % 1000)).padStart(3, '0')}000000Z`;

function logs(ctx: CommandContext): void {
  ctx.inv.requireServer();
  if (ctx.args.length === 0) throw errorLine("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
  const { pod, matched } = attachablePod(ctx, ctx.args[0], (kind) => `cannot get the logs from ${kind.toLowerCase()}`);
  if (matched > 1) ctx.inv.warn(`Found ${matched} pods, using pod/${pod.metadata!.name}`);
  const name = pod.metadata!.name!;
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let containerName = ctx.flags.str('container') || ctx.args[1];
  if (!containerName) {
    const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    containerName = annotated && all.some((c) => c.name === annotated) ? annotated : (pod.spec?.containers?.[0]?.name ?? '');
    if ((pod.spec?.containers?.length ?? 0) > 1 && !annotated) ctx.inv.warn(`Defaulted container ${JSON.stringify(containerName)} out of: ${all.map((c) => c.name).join(', ')}`);
  }
  const container = all.find((c) => c.name === containerName);
  if (!container) throw errorLine(`container ${containerName} is not valid for pod ${name}`);
  if (!pod.spec?.nodeName) throw new KubectlError(`Error from server (BadRequest): pod ${name} does not have a host assigned`);
  // The apiserver fetches logs from the node's kubelet.
  const machine = ctx.cluster.machine(pod.spec.nodeName);
  const url = `https://${pod.status?.hostIP ?? pod.spec.nodeName}:10250/containerLogs/${pod.metadata?.namespace}/${name}/${containerName}`;
  if (!machine.powered) throw new KubectlError(`Error from server: Get "${url}": dial tcp ${pod.status?.hostIP}:10250: connect: no route to host`);
  if (machine.partitioned) throw new KubectlError(`Error from server: Get "${url}": dial tcp ${pod.status?.hostIP}:10250: i/o timeout`);
  if (!machine.kubeletRunning) throw new KubectlError(`Error from server: Get "${url}": dial tcp ${pod.status?.hostIP}:10250: connect: connection refused`);
  const statuses: ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const st = statuses.find((s) => s.name === containerName);
  const previous = ctx.flags.bool('previous');
  const last = st?.lastState?.terminated;
  const restarts = st?.restartCount ?? 0;
  let run: Run;
  const waiting = !st?.state?.running && !st?.state?.terminated;
  if (waiting && last?.startedAt) {
    // Waiting to restart (CrashLoopBackOff): the dead container is still the latest, with or without -p.
    run = { startedAt: last.startedAt, finishedAt: last.finishedAt, exitCode: last.exitCode, reason: last.reason, restart: restarts };
  } else if (previous) {
    if (!last?.startedAt) throw new KubectlError(`Error from server (BadRequest): previous terminated container ${JSON.stringify(containerName)} in pod ${JSON.stringify(name)} not found`);
    run = { startedAt: last.startedAt, finishedAt: last.finishedAt, exitCode: last.exitCode, reason: last.reason, restart: Math.max(0, restarts - 1) };
  } else if (st?.state?.running?.startedAt) {
    run = { startedAt: st.state.running.startedAt, restart: restarts };
  } else if (st?.state?.terminated?.startedAt) {
    const t = st.state.terminated;
    run = { startedAt: t.startedAt!, finishedAt: t.finishedAt, exitCode: t.exitCode, reason: t.reason, restart: restarts };
  } else {
    const reason = st?.state?.waiting?.reason || 'ContainerCreating';
    throw new KubectlError(`Error from server (BadRequest): container ${JSON.stringify(containerName)} in pod ${JSON.stringify(name)} is waiting to start: ${reason}`);
  }
  let lines = linesOf(container, run);
  const tail = ctx.flags.int('tail', -1);
  if (tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  const stamps = ctx.flags.bool('timestamps');
  for (const l of lines) ctx.inv.println(stamps ? `${nanoStamp(l.at)} ${l.text}` : l.text);
}

export const logsCommand: Command = {
  name: 'logs',
  group: 'Troubleshooting and Debugging Commands',
  short: 'Print the logs for a container in a pod',
  usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  examples: ['# Return snapshot logs from pod nginx with only one container\n  kubectl logs nginx', '# Display only the most recent 20 lines of output in pod nginx\n  kubectl logs --tail=20 nginx'],
  flags: [
    { name: 'container', shorthand: 'c', type: 'string', usage: 'Print the logs of this container' },
    { name: 'follow', shorthand: 'f', type: 'bool', default: 'false', usage: 'Specify if the logs should be streamed. (Here: the lines so far; the simulation has no stream.)' },
    { name: 'previous', shorthand: 'p', type: 'bool', default: 'false', usage: 'If true, print the logs for the previous instance of the container in a pod if it exists.' },
    { name: 'tail', type: 'int', default: '-1', usage: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines.' },
    { name: 'timestamps', type: 'bool', default: 'false', usage: 'Include timestamps on each line in the log output' },
  ],
  run: logs,
  completeArgs: { names: 'pods' },
};
