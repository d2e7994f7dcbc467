// What a container's process does, since there is no real process: read
// from the pod annotation kubeviz.dev/behavior, a JSON object keyed by
// container name. Not part of Kubernetes; it stands in for the program.
//
//   kubeviz.dev/behavior: |
//     {"app": {"exitAfter": "20s", "exitCode": 1,
//              "readiness": "fail" | "pass" | {"failAfter": "30s"} | {"passAfter": "30s"},
//              "liveness": ..., "startup": ...,
//              "memory": "300Mi", "memoryAfter": "10s",
//              "cpu": "250m",
//              "stopAfter": "3s"}}
//
// exitAfter/exitCode: the process ends by itself (0: a Job's work is done).
// readiness/liveness/startup: what the container's probes answer, counted
// from the container's start. memory: the working set it grows to (at
// memoryAfter, default at once); above the container's memory limit the
// kernel OOM-kills it (exit code 137, OOMKilled). cpu: the CPU it uses
// while it runs, steady (capped at the container's CPU limit, as CFS
// throttles it); without it, usage.ts's default applies. stopAfter: how long it
// takes to exit after SIGTERM (0 on its own); without it the container uses
// the whole grace period and is SIGKILLed. Without the annotation a
// container runs until stopped (an init container, whose nature is to
// finish, exits with 0 after 1 s) and every probe passes. A malformed entry is
// ignored (the container runs normally) and named in a Warning event.
import { tryParseQuantity } from '../api/quantity';
import { DurationError, parseDuration } from '../kernel/duration';

export const BEHAVIOR_ANNOTATION = 'kubeviz.dev/behavior';

/** An init container runs to completion: without a behavior of its own it does its work in 1 s and exits with 0. */
export const INIT_CONTAINER_DEFAULT: ContainerBehavior = { exitAfter: 1000, exitCode: 0, memoryAfter: 0 };

export type ProbeResult = 'success' | 'failure';

/** A probe's answers over time: `initial` from the container's start, `after` from `switchAt` ms on. */
export interface ProbeOutcome {
  initial: ProbeResult;
  switchAt?: number;
  after?: ProbeResult;
}

export interface ContainerBehavior {
  /** ms after start at which the process exits by itself. */
  exitAfter?: number;
  exitCode: number;
  readiness?: ProbeOutcome;
  liveness?: ProbeOutcome;
  startup?: ProbeOutcome;
  /** Working set in bytes, reached `memoryAfter` ms after start. */
  memoryBytes?: number;
  memoryAfter: number;
  /** CPU used while running, in millicores (the behavior's `cpu`); without it usage.ts's default. */
  cpuMilli?: number;
  /** ms the process takes to exit after SIGTERM. */
  stopAfter?: number;
}

export interface PodBehavior {
  containers: Map<string, ContainerBehavior>;
  /** What was wrong with the annotation, one line each, for the Warning event. */
  problems: string[];
}

const NONE: PodBehavior = { containers: new Map(), problems: [] };
const FIELDS = ['exitAfter', 'exitCode', 'readiness', 'liveness', 'startup', 'memory', 'memoryAfter', 'cpu', 'stopAfter'];

export function outcomeAt(o: ProbeOutcome | undefined, sinceStart: number): ProbeResult {
  if (!o) return 'success';
  return o.switchAt !== undefined && sinceStart >= o.switchAt ? o.after! : o.initial;
}

/** Reads the annotation of a pod whose containers are `names`. */
export function parseBehavior(annotations: Record<string, string> | undefined, names: readonly string[]): PodBehavior {
  const raw = annotations?.[BEHAVIOR_ANNOTATION];
  if (raw === undefined) return NONE;
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    return { containers: new Map(), problems: [`not valid JSON (${(e as Error).message})`] };
  }
  if (!isObject(doc)) return { containers: new Map(), problems: ['must be a JSON object keyed by container name'] };
  const out: PodBehavior = { containers: new Map(), problems: [] };
  for (const [name, spec] of Object.entries(doc)) {
    if (!names.includes(name)) {
      out.problems.push(`${name}: the pod has no container of that name`);
      continue;
    }
    const problems: string[] = [];
    const b = readContainer(spec, (field, why) => problems.push(`${name}${field ? `.${field}` : ''}: ${why}`));
    if (problems.length) out.problems.push(...problems);
    else out.containers.set(name, b);
  }
  return out;
}

function readContainer(spec: unknown, problem: (field: string, why: string) => void): ContainerBehavior {
  const b: ContainerBehavior = { exitCode: 0, memoryAfter: 0 };
  if (!isObject(spec)) {
    problem('', 'must be an object such as {"exitAfter": "20s", "exitCode": 1}');
    return b;
  }
  for (const k of Object.keys(spec)) if (!FIELDS.includes(k)) problem(k, `unknown field (known: ${FIELDS.join(', ')})`);
  const dur = (field: string): number | undefined => {
    const v = spec[field];
    if (v === undefined) return undefined;
    const ms = duration(v);
    if (typeof ms === 'string') problem(field, ms);
    else return ms;
    return undefined;
  };
  b.exitAfter = dur('exitAfter');
  b.stopAfter = dur('stopAfter');
  b.memoryAfter = dur('memoryAfter') ?? 0;
  if (spec.exitCode !== undefined) {
    const c = spec.exitCode;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 255) problem('exitCode', `invalid value ${JSON.stringify(c)}: must be an integer from 0 to 255`);
    else b.exitCode = c;
  }
  if (spec.memory !== undefined) {
    const q = typeof spec.memory === 'string' || typeof spec.memory === 'number' ? tryParseQuantity(spec.memory) : undefined;
    if (!q || q.milli < 0) problem('memory', `invalid quantity ${JSON.stringify(spec.memory)}: use a value such as "300Mi"`);
    else b.memoryBytes = Math.ceil(q.milli / 1000);
  }
  if (spec.cpu !== undefined) {
    const q = typeof spec.cpu === 'string' || typeof spec.cpu === 'number' ? tryParseQuantity(spec.cpu) : undefined;
    if (!q || q.milli < 0) problem('cpu', `invalid quantity ${JSON.stringify(spec.cpu)}: use a value such as "250m"`);
    else b.cpuMilli = q.milli;
  }
  for (const probe of ['readiness', 'liveness', 'startup'] as const) {
    if (spec[probe] === undefined) continue;
    const o = readOutcome(spec[probe]);
    if (typeof o === 'string') problem(probe, o);
    else b[probe] = o;
  }
  return b;
}

function readOutcome(v: unknown): ProbeOutcome | string {
  if (v === 'pass') return { initial: 'success' };
  if (v === 'fail') return { initial: 'failure' };
  const hint = 'must be "pass", "fail", {"failAfter": DURATION} or {"passAfter": DURATION}';
  if (!isObject(v)) return `invalid value ${JSON.stringify(v)}: ${hint}`;
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== 'failAfter' && keys[0] !== 'passAfter')) return `invalid value ${JSON.stringify(v)}: ${hint}`;
  const ms = duration(v[keys[0]]);
  if (typeof ms === 'string') return `${keys[0]}: ${ms}`;
  return keys[0] === 'failAfter' ? { initial: 'success', switchAt: ms, after: 'failure' } : { initial: 'failure', switchAt: ms, after: 'success' };
}

/** ms, or what is wrong with it. */
function duration(v: unknown): number | string {
  if (v === 0) return 0;
  if (typeof v !== 'string') return `invalid duration ${JSON.stringify(v)}: use a string such as "20s"`;
  try {
    const ms = parseDuration(v);
    return ms < 0 ? `invalid duration ${JSON.stringify(v)}: must not be negative` : ms;
  } catch (e) {
    if (e instanceof DurationError) return `${e.message} (use a duration such as "20s")`;
    throw e;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
