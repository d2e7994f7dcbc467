// A guided story: what a gallery scenario asks the user to watch, to try and
// what it teaches, from its Scenario document's annotations (kubeviz.dev/
// title, description, watch, try, teaches). Plain strings: the panel shows
// them as React text, never as HTML.
import { parseAllDocuments } from 'yaml';
import { isPlainObject } from '../../scenario/manifest-check';

export interface Story {
  title?: string;
  description?: string;
  watch?: string;
  try?: string;
  teaches?: string;
}

const FIELDS = ['title', 'description', 'watch', 'try', 'teaches'] as const;
/** No annotation is this long in a real story; a hostile file's giant one is cut. */
const MAX_FIELD_CHARS = 4_000;

/** Annotations by scenario text: the gallery's few texts and the open session's. */
const cache = new Map<string, Story>();
const CACHE_ENTRIES = 64;

/** The story annotations of a scenario file, those it has (none when it has no Scenario document or does not parse). */
export function readAnnotations(scenario: string): Story {
  let story = cache.get(scenario);
  if (story === undefined) {
    story = parseAnnotations(scenario);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(scenario, story);
  }
  return story;
}

/** The story of a scenario file; null when it tells none: something to watch, try or learn (a title alone is not a story). */
export function readStory(scenario: string | null | undefined): Story | null {
  if (!scenario) return null;
  const story = readAnnotations(scenario);
  return story.watch || story.try || story.teaches ? story : null;
}

/** Hard-wrapped annotation text as paragraphs: single line breaks join, blank lines separate. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

/**
 * The story from the text up to the first top-level `spec:` when the Scenario document is there (its metadata
 * comes first in every scenario kubeviz writes), else from the whole text. A value cannot hold a line that starts
 * `spec:` at the first column, so the cut ends a document's metadata whole; config-max's spec is 1,667 timeline
 * entries that parsing for five annotations took 160 ms on the page's thread.
 */
function parseAnnotations(text: string): Story {
  const cut = text.search(/^spec:/m);
  if (cut > 0) {
    const head = annotationsOf(text.slice(0, cut), true);
    if (head) return head;
  }
  return annotationsOf(text) ?? {};
}

/** The annotations of the first Scenario document; null when the text has none that parses (or, `withMetadata`, none with its metadata). */
function annotationsOf(text: string, withMetadata = false): Story | null {
  try {
    for (const doc of parseAllDocuments(text)) {
      if (!('toJS' in doc) || doc.errors.length) continue;
      const v: unknown = doc.toJS({ maxAliasCount: 100 });
      if (!isPlainObject(v) || v.kind !== 'Scenario') continue;
      if (withMetadata && !isPlainObject(v.metadata)) return null;
      const story: Story = {};
      const annotations = isPlainObject(v.metadata) && isPlainObject(v.metadata.annotations) ? v.metadata.annotations : {};
      for (const f of FIELDS) {
        const value = annotations[`kubeviz.dev/${f}`];
        if (typeof value === 'string' && value.trim()) story[f] = value.trim().slice(0, MAX_FIELD_CHARS);
      }
      return story;
    }
  } catch {
    // Not a story, then.
  }
  return null;
}
