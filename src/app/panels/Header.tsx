import { Clock } from './Clock';
import { PlaybackControls } from './PlaybackControls';
import { ThemeToggle } from './ThemeToggle';
import { ConsoleToggle } from './Console';
import { useClusterStore } from '../store/store-context';
import { selectOpenEditor, selectReady } from '../store/selectors';
import { NEW_OBJECTS_TEMPLATE } from './EditorPanel';
import { GalleryMenu } from './GalleryMenu';
import { ShareButton } from './ShareButton';

export function Header({ scenarioName }: { scenarioName?: string }) {
  return (
    <header className="app-header" data-testid="app-header">
      <div className="brand">
        <Logo />
        <span className="brand-name">kubeviz</span>
        {scenarioName && (
          <span className="scenario-name" data-testid="scenario-name" title="Scenario">
            {scenarioName}
          </span>
        )}
        <Opening />
        <GalleryMenu />
      </div>
      {scenarioName !== undefined && (
        <div className="header-center">
          <Clock />
          <PlaybackControls />
        </div>
      )}
      <div className="header-end">
        {scenarioName !== undefined && <ConsoleToggle />}
        {scenarioName !== undefined && <ApplyYamlButton />}
        {scenarioName !== undefined && <ShareButton />}
        <ThemeToggle />
      </div>
    </header>
  );
}

/** While the simulation's worker builds the session: says so, as a spinner would. */
function Opening() {
  const ready = useClusterStore(selectReady);
  if (ready) return null;
  return (
    <span className="scenario-name scenario-opening" data-testid="scenario-opening" role="status">
      building the cluster…
    </span>
  );
}

/** Opens the YAML editor on an empty document, for pasting new objects (kubectl apply -f -). */
function ApplyYamlButton() {
  const openEditor = useClusterStore(selectOpenEditor);
  return (
    <button type="button" className="btn" data-testid="apply-yaml" title="Write or paste manifests and apply them" onClick={() => openEditor({ text: NEW_OBJECTS_TEMPLATE })}>
      Apply YAML
    </button>
  );
}

function Logo() {
  return (
    <svg className="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path d="M12 1.8l8.8 4.3 2.2 9.5-6.1 7.6H7.1L1 15.6l2.2-9.5z" fill="var(--accent)" />
      <circle cx="12" cy="12" r="3.3" fill="none" stroke="#fff" strokeWidth="1.6" />
      <path d="M12 5.2v3.5M12 15.3v3.5M5.6 9.9l3.3 1.1M15.1 13l3.3 1.1M7.9 17.3l2.1-2.8M14 9.5l2.1-2.8" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
