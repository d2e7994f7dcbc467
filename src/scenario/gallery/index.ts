// The built-in scenarios: the default one and every file of
// src/scenario/examples, by name (the file name without .yaml), so a URL can
// open one (`?scenario=scale-1000-nodes`) and a gallery menu can list them.
// Vite inlines the files as text at build time; nothing is fetched.
import { parseAllDocuments } from 'yaml';
import { DEFAULT_SCENARIO_YAML } from './default-scenario';

export const DEFAULT_SCENARIO_NAME = 'default';

/** A Scenario document's annotation with one line on what it shows. */
export const DESCRIPTION_ANNOTATION = 'kubeviz.dev/description';

export interface GalleryEntry {
  /** What `?scenario=` takes: the file name without .yaml ("default" for the default scenario). */
  name: string;
  /** The Scenario document's description annotation, else its metadata.name, else the name. */
  title: string;
  yaml: string;
}

const files = import.meta.glob<string>('../examples/*.yaml', { query: '?raw', import: 'default', eager: true });

/** A gallery from raw texts by name; the default scenario first, then the others by name. */
export function buildGallery(texts: Readonly<Record<string, string>>): GalleryEntry[] {
  const names = Object.keys(texts).sort((a, b) => (a === DEFAULT_SCENARIO_NAME ? -1 : b === DEFAULT_SCENARIO_NAME ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => ({ name, title: titleOf(texts[name]) ?? name, yaml: texts[name] }));
}

/** "../examples/node-failure.yaml" -> "node-failure" */
export function fileScenarioName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.endsWith('.yaml') ? base.slice(0, -'.yaml'.length) : base;
}

let gallery: GalleryEntry[] | null = null;

/** Every built-in scenario. Titles are read from the YAML on first use. */
export function scenarioGallery(): readonly GalleryEntry[] {
  gallery ??= buildGallery({
    [DEFAULT_SCENARIO_NAME]: DEFAULT_SCENARIO_YAML,
    ...Object.fromEntries(Object.entries(files).map(([path, text]) => [fileScenarioName(path), text])),
  });
  return gallery;
}

export type ScenarioLookup = { ok: true; entry: GalleryEntry } | { ok: false; entry: GalleryEntry; notice: string };

/**
 * The scenario a URL names. No name opens the default scenario; an unknown
 * one opens it too, with a notice naming what was asked and what exists.
 */
export function findScenario(name: string | null | undefined, entries: readonly GalleryEntry[] = scenarioGallery()): ScenarioLookup {
  const fallback = entries.find((e) => e.name === DEFAULT_SCENARIO_NAME) ?? entries[0];
  if (name === null || name === undefined || name.trim() === '') return { ok: true, entry: fallback };
  const wanted = name.trim();
  const entry = entries.find((e) => e.name === wanted);
  if (entry) return { ok: true, entry };
  return {
    ok: false,
    entry: fallback,
    notice: `URL parameter scenario=${JSON.stringify(name)} ignored: there is no built-in scenario of that name; opened "${fallback.name}". Built-in scenarios: ${entries.map((e) => e.name).join(', ')}.`,
  };
}

/** The Scenario document's description annotation or metadata.name; undefined when the text has neither (or does not parse). */
function titleOf(text: string): string | undefined {
  try {
    for (const doc of parseAllDocuments(text)) {
      if (!('toJS' in doc) || doc.errors.length) continue;
      const v = doc.toJS({ maxAliasCount: 100 }) as { kind?: unknown; metadata?: { name?: unknown; annotations?: Record<string, unknown> } } | null;
      if (!v || v.kind !== 'Scenario') continue;
      const description = v.metadata?.annotations?.[DESCRIPTION_ANNOTATION];
      if (typeof description === 'string' && description.trim()) return description.trim();
      if (typeof v.metadata?.name === 'string' && v.metadata.name) return v.metadata.name;
    }
  } catch {
    // A file that does not parse still opens (and shows its problems); its title is its name.
  }
  return undefined;
}
