// The header's "Scenarios" menu: the session's verbs (new, open a file,
// import kubectl output, save, export the state) and the gallery of
// built-in scenarios, each with its title and one line on what it shows,
// opened in place. Every text comes from the scenario files and is shown as
// React text.
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { scenarioGallery, type GalleryEntry } from '../../scenario/gallery';
import { useSession } from '../session/session-context';
import { readAnnotations } from '../session/story';
import type { ClusterViewState } from '../store/cluster-store';
import { selectLoad } from '../store/selectors';
import { useClusterStore } from '../store/store-context';
import { useDismiss } from './use-dismiss';

interface Card {
  entry: GalleryEntry;
  title: string;
  description?: string;
}

const selectScenarioText = (s: ClusterViewState) => s.scenarioText;

function cardsOf(entries: readonly GalleryEntry[]): Card[] {
  return entries.map((entry) => {
    const a = readAnnotations(entry.yaml);
    const title = a.title ?? entry.title;
    return { entry, title, description: a.description && a.description !== title ? a.description : undefined };
  });
}

export function GalleryMenu() {
  const [open, setOpen] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(anchor, open, close);
  return (
    <div className="menu-anchor" ref={anchor}>
      <button type="button" className="btn" data-testid="scenarios-button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Scenarios
        <svg viewBox="0 0 10 10" width="9" height="9" aria-hidden="true">
          <path d="M1.5 3.5 5 7l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      </button>
      {open && <MenuBody onDone={close} />}
    </div>
  );
}

const MenuBody = memo(function MenuBody({ onDone }: { onDone: () => void }) {
  const session = useSession();
  const load = useClusterStore(selectLoad);
  const cards = useMemo(() => cardsOf(scenarioGallery()), []);
  // With no scenario loaded no entry is the current one.
  const current = useClusterStore(selectScenarioText) || undefined;
  const loaded = load.ok;
  const item = (testId: string, label: string, hint: string, run: () => void, disabled = false) => (
    <button
      type="button"
      role="menuitem"
      className="menu-item"
      data-testid={testId}
      disabled={disabled}
      onClick={() => {
        onDone();
        run();
      }}
    >
      <span className="menu-item-label">{label}</span>
      <span className="menu-item-hint">{hint}</span>
    </button>
  );
  return (
    <div className="popover scenarios-menu" role="menu" aria-label="Scenarios" data-testid="scenarios-menu">
      <div className="menu-section menu-session">
        <h3 className="menu-heading">This session</h3>
        {item('menu-new-session', 'New session', 'the default scenario, from the start', () => session.newSession())}
        {item('menu-open-file', 'Open file…', 'a scenario or a saved session (.yaml, .json); or drop it on the page', () => session.chooseFile())}
        {item('menu-import', 'Import kubectl output…', 'a real cluster, from kubectl get … -o yaml', () => session.openImport())}
        {item('menu-save-session', 'Save session', 'the scenario and your actions, as a file', () => session.saveSession(), !loaded)}
        {item('menu-export-state', 'Export current state', 'the objects as they are now, as a new scenario', () => session.exportCurrentState(), !loaded)}
      </div>
      <div className="menu-section menu-gallery">
        <h3 className="menu-heading">Built-in scenarios</h3>
        <ul className="gallery-list">
          {cards.map((c) => (
            <li key={c.entry.name}>
              <button
                type="button"
                role="menuitem"
                className="gallery-entry"
                data-testid="gallery-entry"
                data-name={c.entry.name}
                aria-current={c.entry.yaml === current ? 'true' : undefined}
                onClick={() => {
                  onDone();
                  session.openGallery(c.entry);
                }}
              >
                <span className="gallery-title">{c.title}</span>
                {c.description && <span className="gallery-description">{c.description}</span>}
                <span className="gallery-name">{c.entry.name}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
});
