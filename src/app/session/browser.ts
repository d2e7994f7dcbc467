// The browser side of sessions: downloads, the clipboard, the address bar,
// whether this load is a reload, and following a link pasted into the
// address bar of an open tab (a change of fragment does not reload the page).
import { findScenario } from '../../scenario/gallery';
import { decodeShareFragment, ShareLinkError } from '../../scenario/share-codec';
import { readLaunchLink } from './boot';
import type { BrowserEnv, SessionController } from './session-controller';

export const browserEnv: BrowserEnv = {
  download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    // The download has its own copy once the click is handled.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  async copy(text) {
    try {
      if (!navigator.clipboard?.writeText) return false;
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
  href: () => window.location.href,
  replaceUrl(url) {
    if (url !== window.location.href) window.history.replaceState(window.history.state, '', url);
  },
};

/** localStorage, or null where the browser forbids it (reading the property itself can throw). */
export function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** A share or gallery link pasted into the address bar of this tab opens like one opened fresh (asking first when work would be lost). */
export function followUrlChanges(controller: SessionController): () => void {
  const onHash = () => {
    const link = readLaunchLink('', window.location.hash);
    if (link.kind === 'share') {
      try {
        controller.requestOpen({ what: 'the shared scenario', session: decodeShareFragment(`s=${link.data}`), url: { kind: 'keep' } });
      } catch (e) {
        if (!(e instanceof ShareLinkError)) throw e;
        controller.notify('error', `${e.message} The current session is unchanged.`);
      }
    } else if (link.kind === 'gallery') {
      const found = findScenario(link.name);
      if (found.ok) controller.openGallery(found.entry);
      else controller.notify('warn', found.notice.replace(/; opened "[^"]*"\./, '; the current session is unchanged.'));
    }
  };
  window.addEventListener('hashchange', onHash);
  return () => window.removeEventListener('hashchange', onHash);
}
