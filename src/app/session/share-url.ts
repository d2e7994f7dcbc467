// The address bar's URL for a session: the page's own address, without the
// parameters that name a session (?t, ?paused, ?scenario: a share link
// carries its instant and scenario itself), with the fragment that names
// this one: `#s=...` (a share link), `#scenario=NAME` (a gallery
// scenario), or none.
import { MAX_LINK_CHARS } from '../../scenario/share-codec';

/** Past this, chat tools and mail clients tend to cut or mangle a link. */
export const CHAT_LINK_CHARS = 8_000;

const SESSION_PARAMS = ['t', 'paused', 'scenario'];

/** `href` with the session parameters dropped and `fragment` (without '#') as its fragment; no fragment when null. */
export function sessionUrl(href: string, fragment: string | null): string {
  const url = new URL(href);
  for (const p of SESSION_PARAMS) url.searchParams.delete(p);
  url.hash = fragment ? `#${fragment}` : '';
  // URL writes "?" for an emptied query and "#" for an emptied fragment; neither helps a reader.
  return url.toString().replace(/\?(?=#|$)/, '').replace(/#$/, '');
}

export type LinkFit = 'ok' | 'long' | 'too-long';

/** Whether a link of this length opens (MAX_LINK_CHARS) and travels well (CHAT_LINK_CHARS). */
export function linkFit(length: number): LinkFit {
  if (length > MAX_LINK_CHARS) return 'too-long';
  return length > CHAT_LINK_CHARS ? 'long' : 'ok';
}
