// Whether replacing the current session would lose work: it has actions or a
// scenario the user brought (a file, an import) and is not the same as what
// was last saved or shared (or opened from a file or link, which still has it).
import type { GalleryEntry } from '../../scenario/gallery';
import type { TimelineEntry } from '../../sim/model';
import { sessionFingerprint } from './fingerprint';

export function hasUnsavedWork(session: { scenario: string; actions: readonly TimelineEntry[] }, saved: string | null, gallery: readonly GalleryEntry[]): boolean {
  if (session.actions.length === 0 && gallery.some((e) => e.yaml === session.scenario)) return false;
  return sessionFingerprint(session.scenario, session.actions) !== saved;
}
