// What a file the user opens or drops is: a session kubeviz saved (a
// Session document after the scenario), the output of `kubectl get ... -o
// yaml|json` from a real cluster (objects the apiserver stamped with uids
// and resourceVersions), or a scenario file. Read as text with limits, so a
// huge or binary file gets a message instead of a frozen tab.
import { looksLikeSessionFile } from '../../scenario/session-file';

export type FileKind = 'session' | 'kubectl' | 'scenario';

/** Larger than any scenario or session worth opening in a tab (a 5,000-node kubectl dump is about 40 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export function classifyFile(text: string): FileKind {
  if (looksLikeSessionFile(text)) return 'session';
  // kubectl prints what the apiserver stored; a scenario written by hand has no uids and no resourceVersions.
  const stamped = /^\s*(uid|resourceVersion):\s*\S/m.test(text) || /"(uid|resourceVersion)"\s*:\s*"/.test(text);
  const scenario = /kubeviz\.dev\/v1alpha1/.test(text);
  return stamped && !scenario ? 'kubectl' : 'scenario';
}

export class FileReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileReadError';
  }
}

/** A file's text; FileReadError when it is too large, not UTF-8 text, or cannot be read. */
export async function readFileText(file: Blob & { name?: string }): Promise<string> {
  const name = file.name ? `“${file.name}”` : 'The file';
  if (file.size > MAX_FILE_BYTES) throw new FileReadError(`${name} is ${megabytes(file.size)}, more than the ${megabytes(MAX_FILE_BYTES)} kubeviz opens.`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    throw new FileReadError(`${name} could not be read: ${(e as Error).message || 'the browser refused'}.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileReadError(`${name} is not a text file (a scenario is YAML or JSON; was it compressed?).`);
  }
  if (text.includes('\u0000')) throw new FileReadError(`${name} is not a text file (a scenario is YAML or JSON).`);
  return text.replace(/^\uFEFF/, '');
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
