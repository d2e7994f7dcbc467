// What one kubectl invocation produced: stdout, stderr, the exit code and
// the timeline actions it performed, plus how kubectl words its errors
// (k8s.io/kubectl/pkg/cmd/util/helpers.go checkErr and StandardErrorMessage).
import type { Cluster } from '../sim/cluster';
import type { ActionOutcome } from '../sim/cluster/actions';
import type { Action } from '../sim/model';

export interface KubectlResult {
  /** What kubectl writes to stdout. */
  output: string;
  /** What it writes to stderr: errors, warnings and notices ("No resources found in default namespace."). */
  error?: string;
  /** 0 on success, 1 on any failure, as kubectl exits. */
  exitCode: number;
  /** The timeline actions this command performed, in order (each is also in cluster.actions). */
  actions: Action[];
  /** `apply -f -`: the UI opens its YAML editor with this text. */
  editor?: { text: string };
}

/** Aborts a command with text that goes to stderr as it is (already "error: ..."-prefixed where kubectl does). */
export class KubectlError extends Error {
  override name = 'KubectlError';
}

/** `error: MESSAGE`, the generic form of checkErr. */
export const errorLine = (message: string): KubectlError => new KubectlError(message.startsWith('error: ') ? message : `error: ${message}`);

/** A flag or argument mistake: kubectl adds the pointer to the command's help. */
export const usageError = (commandPath: string, message: string): KubectlError =>
  new KubectlError(`error: ${message}\nSee '${['kubectl', commandPath].filter(Boolean).join(' ')} --help' for usage.`);

const CONNECTION_REFUSED = 'The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?';

/** A server answer as checkErr prints it, recovered from the apiserver's message. */
export function serverErrorText(message: string): string {
  if (message.startsWith('The connection to the server') || message.startsWith('Unable to connect to the server')) return message;
  const invalid = /^([A-Za-z]+)(?:\.[a-z0-9.-]+)? ("(?:[^"\\]|\\.)*") is invalid: ([\s\S]*)$/.exec(message);
  if (invalid) {
    const [, kind, name, body] = invalid;
    const causes = body.startsWith('[') && body.endsWith(']') ? body.slice(1, -1).split(/, (?=[a-z][\w.[\]-]*: )/) : [body];
    const head = `The ${kind} ${name} is invalid: `;
    return causes.length === 1 ? head + causes[0] : head + causes.map((c) => `\n* ${c}`).join('');
  }
  const reasons: Array<[RegExp, string]> = [
    [/ not found$/, 'NotFound'],
    [/ already exists$/, 'AlreadyExists'],
    [/^Operation cannot be fulfilled/, 'Conflict'],
    [/ is forbidden: /, 'Forbidden'],
    [/^Cannot evict pod/, 'TooManyRequests'],
  ];
  for (const [re, reason] of reasons) if (re.test(message)) return `Error from server (${reason}): ${message}`;
  return `Error from server: ${message}`;
}

/** `Error from server (NotFound): pods "web" not found`, resource as upstream names it ("deployments.apps"). */
export const notFound = (resource: string, name: string): string => `Error from server (NotFound): ${resource} ${JSON.stringify(name)} not found`;

/**
 * Who performs a command's timeline actions. The cluster itself by default;
 * the UI passes its store so the actions join the session's history branch
 * (a rewind replays them) instead of reaching the live cluster behind it.
 */
export interface KubectlActor {
  act(action: Action): ActionOutcome[];
}

/** Collects what a command prints and does. */
export class Invocation {
  private out = '';
  private err = '';
  private hasFailed = false;
  readonly actions: Action[] = [];
  editor?: { text: string };

  constructor(
    readonly cluster: Cluster,
    private readonly actor: KubectlActor = cluster,
  ) {}

  print(text: string): void {
    this.out += text;
  }

  println(line = ''): void {
    this.out += `${line}\n`;
  }

  /** A line on stderr that marks the command as failed. */
  fail(line: string): void {
    this.err += line.endsWith('\n') ? line : `${line}\n`;
    this.hasFailed = true;
  }

  /** True once something went to stderr as a failure. */
  get failed(): boolean {
    return this.hasFailed;
  }

  /** Exit 1 with nothing more to say (a parent command printed its help). */
  markFailed(): void {
    this.hasFailed = true;
  }

  /** A line on stderr that is only a notice (warnings, "No resources found"). */
  warn(line: string): void {
    this.err += line.endsWith('\n') ? line : `${line}\n`;
  }

  /** Performs a timeline action now; it joins the action log. */
  act(action: Action): ActionOutcome[] {
    this.actions.push(action);
    return this.actor.act(action);
  }

  /** kube-apiserver answers nothing while it is stopped: kubectl can not even read. */
  requireServer(): void {
    if (!this.cluster.apiserver.running) throw new KubectlError(CONNECTION_REFUSED);
  }

  result(): KubectlResult {
    const r: KubectlResult = { output: this.out, exitCode: this.hasFailed ? 1 : 0, actions: this.actions };
    if (this.err) r.error = this.err;
    if (this.editor) r.editor = this.editor;
    return r;
  }
}
