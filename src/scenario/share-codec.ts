// Share links: a session (scenario file, user actions, instant) in a URL
// fragment, `#s=<data>`. The data is JSON, zlib-compressed (fflate) against a
// fixed dictionary of words every scenario uses, in base64url. zlib's
// checksum catches a link that was cut short or mangled in transit.
//
// Everything read from a link is data: it is parsed, size-capped and checked
// with the scenario file's own rules; nothing in it is executed or rendered
// as HTML. Every failure is a ShareLinkError whose message says what is wrong
// in words a user can act on.
import { strFromU8, strToU8, Unzlib, zlibSync } from 'fflate';
import type { ControlPlaneShape } from '../sim/model';
import { parseScenarioFile } from './parse';
import { formatProblem, ScenarioError } from './problems';
import { readActions, timelineEntryDocument, type Session } from './session';

/** The fragment's key: `#s=...`. */
export const SHARE_KEY = 's';
const FORMAT_VERSION = 1;
/** Browsers keep far longer URLs, but past this a link is not something to paste in a chat. */
export const MAX_LINK_CHARS = 100_000;
/** A link never inflates to more than this (a zip bomb gets a message, not a frozen tab). */
export const MAX_INFLATED_BYTES = 4 * 1024 * 1024;
/** At most this many actions. */
export const MAX_ACTIONS = 10_000;
/** A link never asks to replay more than a day of simulated time. */
export const MAX_INSTANT_MS = 24 * 3_600_000;

/**
 * Frozen with format version 1: changing a byte breaks every link made
 * before. Words most scenarios and actions contain, most common last (zlib
 * reaches the end of the dictionary most cheaply).
 */
const DICTIONARY_V1 = strToU8(
  [
    'kubeviz.dev/v1alpha1 Scenario seed controlPlane etcdMembers settings nodePools timeline registry template zones perNode count',
    'batch/v1 Job completions parallelism backoffLimit restartPolicy: Never OnFailure DaemonSet StatefulSet PriorityClass priorityClassName',
    'tolerations: - key: operator: Exists Equal effect: NoSchedule NoExecute tolerationSeconds nodeSelector affinity nodeAffinity podAntiAffinity topologySpreadConstraints topologyKey',
    'taints: unschedulable: true kubernetes.io/hostname topology.kubernetes.io/zone zone-a zone-b zone-c node-role.kubernetes.io/control-plane',
    'livenessProbe readinessProbe httpGet path: / initialDelaySeconds periodSeconds command: ["sleep", "3600"] busybox:1.36 nginx:1.27',
    '"action":"stopComponent","component":"kube-scheduler" "kube-controller-manager" "kube-apiserver" "etcd-1" "etcd-2" "etcd-3" "startComponent"',
    '"action":"powerOff","node":"node-1" "powerOn" "stopKubelet" "startKubelet" "partition" "heal" "cordon" "uncordon" "drain" "fillMemory" "freeMemory"',
    '"action":"scale","kind":"Deployment","name":"web","namespace":"default","replicas": "action":"delete","kind":"Pod" "action":"apply","manifest":[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"',
    '"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],"resources":{"requests":{"cpu":"250m","memory":"128Mi"}}}]}}',
    '\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 80\n',
    '\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: \n  namespace: default\nspec:\n  containers:\n  - name: \n    image: \n',
    '\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n        resources:\n          requests: {cpu: 250m, memory: 128Mi}\n',
    '\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels:\n    topology.kubernetes.io/zone: zone-a\nstatus:\n  capacity: {cpu: "4", memory: 16Gi, pods: "110"}\n',
    '{"v":1,"s":"apiVersion: kubeviz.dev/v1alpha1\\nkind: Scenario\\nmetadata:\\n  name: \\nspec:\\n  seed: 42\\n  controlPlane:\\n    etcdMembers: 3\\n","a":[{"at":"',
  ].join('\n'),
);

export class ShareLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareLinkError';
  }
}

/** The `s=...` part of the fragment for a session (without the `#`). */
export function encodeShareFragment(session: Session): string {
  const payload = { v: FORMAT_VERSION, s: session.scenario, a: session.actions.map(timelineEntryDocument), t: session.at };
  const packed = zlibSync(strToU8(JSON.stringify(payload)), { level: 9, dictionary: DICTIONARY_V1 });
  return `${SHARE_KEY}=${toBase64Url(packed)}`;
}

/** The share data in a URL fragment (`#s=...`, `s=...` or `#a=1&s=...`), or undefined when it has none. */
export function shareDataOf(fragment: string): string | undefined {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  return params.get(SHARE_KEY) ?? undefined;
}

/** Reads a share fragment back into a session; every problem is a ShareLinkError that says what is wrong. */
export function decodeShareFragment(fragment: string): Session {
  const data = shareDataOf(fragment);
  if (data === undefined) throw new ShareLinkError('This link holds no scenario: its fragment has no "s=" part.');
  if (data.length > MAX_LINK_CHARS) throw new ShareLinkError(`This link is too long to open (${data.length.toLocaleString('en-US')} characters; at most ${MAX_LINK_CHARS.toLocaleString('en-US')}). Share large scenarios as a file.`);
  if (!/^[A-Za-z0-9_-]*$/.test(data)) throw new ShareLinkError('This link is damaged: its data has characters a share link never contains (was it edited by hand?).');
  const bytes = fromBase64Url(data);
  const json = inflateCapped(bytes);
  let payload: unknown;
  try {
    payload = JSON.parse(json, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    throw new ShareLinkError('This link is damaged: its data is not a kubeviz session.');
  }
  return sessionFromPayload(payload);
}

function sessionFromPayload(p: unknown): Session {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new ShareLinkError('This link is damaged: its data is not a kubeviz session.');
  const o = p as Record<string, unknown>;
  if (o.v !== FORMAT_VERSION) throw new ShareLinkError(`This link was made by a kubeviz with share format ${JSON.stringify(o.v)}; this one reads format ${FORMAT_VERSION}.`);
  if (typeof o.s !== 'string') throw new ShareLinkError('This link is damaged: it has no scenario.');
  if (typeof o.t !== 'number' || !Number.isInteger(o.t) || o.t < 0 || o.t > MAX_INSTANT_MS)
    throw new ShareLinkError(`This link's instant ${JSON.stringify(o.t)} is not usable: it must be a whole number of ms from 0 to ${MAX_INSTANT_MS / 3_600_000}h.`);
  if (!Array.isArray(o.a)) throw new ShareLinkError('This link is damaged: its actions are not a list.');
  if (o.a.length > MAX_ACTIONS) throw new ShareLinkError(`This link has ${o.a.length} actions; at most ${MAX_ACTIONS} can be replayed.`);
  let controlPlane: ControlPlaneShape;
  try {
    controlPlane = parseScenarioFile(o.s).model.controlPlane;
  } catch (e) {
    if (e instanceof ScenarioError) throw new ShareLinkError(`The scenario in this link is not valid:\n${e.message}`);
    throw e;
  }
  let actions;
  try {
    actions = readActions(o.a, controlPlane);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ShareLinkError(`The actions in this link are not valid:\n${e.problems.map((x) => formatProblem(x).replace(/^document 1(, )?:? ?/, '')).join('\n')}`);
    throw e;
  }
  const last = actions[actions.length - 1];
  if (last && last.at > o.t) throw new ShareLinkError(`This link is damaged: its last action (at ${last.at} ms) is after its instant (${o.t} ms).`);
  return { scenario: o.s, actions, at: o.t };
}

/** Inflates in small steps so a zip bomb is stopped at the cap instead of filling memory. */
function inflateCapped(bytes: Uint8Array): string {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Unzlib({ dictionary: DICTIONARY_V1 }, (chunk) => {
    total += chunk.length;
    if (total > MAX_INFLATED_BYTES) throw new ShareLinkError(`This link unpacks to more than ${MAX_INFLATED_BYTES / (1024 * 1024)} MB; it cannot be a kubeviz session.`);
    chunks.push(chunk);
  });
  const STEP = 1024;
  try {
    if (bytes.length === 0) stream.push(bytes, true);
    for (let i = 0; i < bytes.length; i += STEP) stream.push(bytes.subarray(i, i + STEP), i + STEP >= bytes.length);
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    throw new ShareLinkError('This link is damaged or cut short: its data does not unpack (copy the whole link and try again).');
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch {
    throw new ShareLinkError('This link is damaged: its data is not text.');
  }
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(strFromU8(bytes, true)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(data: string): Uint8Array {
  if (data.length % 4 === 1) throw new ShareLinkError('This link is damaged or cut short: its data has a length no share link has (copy the whole link and try again).');
  const b64 = data.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (data.length % 4)) % 4);
  return strToU8(atob(b64), true);
}
