// kubectl describe for kinds without a dedicated describer: genericDescriber
// (printUnstructuredContent with smartLabelFor's "API Version" style labels)
// and describeNamespace, in staging/src/k8s.io/kubectl/pkg/describe/describe.go.
import type { Event, Namespace } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { byString } from '../humanize';
import { annotationsMultiline, eventsSection, labelsMultiline } from './sections';
import { describeText, LEVEL_0, type PrefixWriter } from './writer';

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

type RuneClass = 'lower' | 'upper' | 'digit' | 'other';
const classOf = (ch: string): RuneClass => (/\p{Ll}/u.test(ch) ? 'lower' : /\p{Lu}/u.test(ch) ? 'upper' : /\p{Nd}/u.test(ch) ? 'digit' : 'other');

/** github.com/fatih/camelcase Split: "apiVersion" -> api, Version; "HTTPServer" -> HTTP, Server. */
export function camelSplit(s: string): string[] {
  const runs: string[][] = [];
  let last: RuneClass | undefined;
  for (const ch of s) {
    const c = classOf(ch);
    if (c === last) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  // An upper-case run followed by a lower-case one gives its last letter to the next word.
  for (let i = 0; i < runs.length - 1; i++) {
    if (classOf(runs[i][0]) === 'upper' && classOf(runs[i + 1][0]) === 'lower') {
      runs[i + 1].unshift(runs[i].pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** smartLabelFor. */
export function smartLabel(field: string): string {
  if ([...field].some((ch) => !/\p{L}/u.test(ch) && ch !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

const SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

function scalar(v: unknown): string {
  if (v === null) return '<nil>';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function unstructured(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort(byString)) {
    const v = content[field];
    const path = `${prefix}.${field}`;
    if (SKIP.has(path) || v === undefined) continue;
    if (Array.isArray(v)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of v) {
        if (child && typeof child === 'object' && !Array.isArray(child)) unstructured(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${scalar(child)}\n`);
      }
    } else if (v && typeof v === 'object') {
      w.write(level, `${smartLabel(field)}:\n`);
      unstructured(w, level + 1, v as Record<string, unknown>, path);
    } else {
      w.write(level, `${smartLabel(field)}:\t${scalar(v)}\n`);
    }
  }
}

export function describeGeneric(obj: KubeObject, events: readonly Event[] | undefined, now: number): string {
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
    labelsMultiline(w, 'Labels', obj.metadata.labels);
    annotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    unstructured(w, LEVEL_0, obj as unknown as Record<string, unknown>, '');
    eventsSection(w, events, now);
  });
}

export function describeNamespace(obj: KubeObject): string {
  const ns = obj as unknown as Namespace;
  return describeText((w) => {
    w.write(LEVEL_0, `Name:\t${ns.metadata?.name}\n`);
    labelsMultiline(w, 'Labels', ns.metadata?.labels);
    annotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
    w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
    w.write(LEVEL_0, '\nNo resource quota.\n');
    w.write(LEVEL_0, '\nNo LimitRange resource.\n');
  });
}
