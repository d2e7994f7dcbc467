// kubectl get pods: printPod in pkg/printers/internalversion/printers.go.
// READY counts ready containers (and started sidecars); STATUS is the phase
// unless something more telling applies, checked in upstream's order: the
// pod's reason, SchedulingGated, an init container's state (Init:N/M,
// Init:CrashLoopBackOff, Init:Error), then the containers from the last to
// the first (a waiting reason such as ContainerCreating or CrashLoopBackOff,
// a terminated reason such as Completed or Error), then Terminating or
// Unknown for a pod being deleted. RESTARTS adds "(5s ago)" after the last
// restart.
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { since } from '../humanize';
import { col, nameCol, type PrintContext, type TableDef } from './table';

const isRestartableInit = (c: Container | undefined): boolean => c?.restartPolicy === 'Always';
const isTerminalPhase = (phase: string | undefined): boolean => phase === 'Succeeded' || phase === 'Failed';
const conditionTrue = (pod: Pod, type: string): boolean => (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** The later of two RFC 3339 timestamps (second precision sorts as text). */
const later = (a: string, b: string | undefined): string => (b && b > a ? b : a);

export interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  /** When the last restarted container last terminated ('' when none did). */
  lastRestart: string;
}

export function podSummary(pod: Pod): PodSummary {
  const spec = pod.spec ?? { containers: [] };
  const st = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  let reason: string = st.reason || st.phase || '';
  if ((st.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const inits = new Map<string, Container>((spec.initContainers ?? []).map((c) => [c.name, c]));
  for (const c of spec.initContainers ?? []) if (isRestartableInit(c)) total++;

  let initializing = false;
  const initStatuses: ContainerStatus[] = st.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const lastTerm = c.lastState?.terminated;
    if (lastTerm) lastRestart = later(lastRestart, lastTerm.finishedAt);
    const sidecar = isRestartableInit(inits.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      if (lastTerm) lastSidecarRestart = later(lastSidecarRestart, lastTerm.finishedAt);
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = st.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const lastTerm = c.lastState?.terminated;
      if (lastTerm) lastRestart = later(lastRestart, lastTerm.finishedAt);
      const waiting = c.state?.waiting;
      const term = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A completed container with another still running: the pod is running.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !isTerminalPhase(st.phase)) reason = 'Terminating';

  return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart };
}

/** "0", or "3 (42s ago)" once a container restarted. */
export function restartsCell(s: PodSummary, now: number): string {
  return s.restarts !== 0 && s.lastRestart ? `${s.restarts} (${since(s.lastRestart, now)} ago)` : String(s.restarts);
}

export const podTable: TableDef = {
  columns: [
    nameCol,
    col('Ready'),
    col('Status'),
    col('Restarts'),
    col('Age'),
    col('IP', { priority: 1 }),
    col('Node', { priority: 1 }),
    col('Nominated Node', { priority: 1 }),
    col('Readiness Gates', { priority: 1 }),
  ],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const pod = obj as unknown as Pod;
    const s = podSummary(pod);
    const cells = [pod.metadata?.name ?? '', s.ready, s.status, restartsCell(s, ctx.now), since(pod.metadata?.creationTimestamp, ctx.now)];
    if (!ctx.wide) return cells;
    const gates = pod.spec?.readinessGates ?? [];
    let readiness = '<none>';
    if (gates.length > 0) {
      const trueCount = gates.filter((g) => (pod.status?.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True').length;
      readiness = `${trueCount}/${gates.length}`;
    }
    return [...cells, pod.status?.podIPs?.[0]?.ip || '<none>', pod.spec?.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>', readiness];
  },
};
