// Commanding simulated time (issue 7): play and pause, step back, step to
// the next instant, step to kube-scheduler's next extension point, jump to
// the next interesting event, the speed (0.1x to 100x, and as fast as
// possible), and the keyboard shortcuts for all of them ("?" lists them).
// Wall time only ever becomes simulated time through the store (STYLE 3).
import { memo, useCallback, useEffect, useState } from 'react';
import type { ClusterStore } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import {
  selectAchievedSpeed,
  selectCanStep,
  selectCanStepBack,
  selectFastest,
  selectHalted,
  selectPlaying,
  selectRunToInteresting,
  selectSetFastest,
  selectSetSpeed,
  selectSpeed,
  selectStep,
  selectStepBack,
  selectStepPoint,
  selectTogglePlay,
} from '../store/selectors';
import { SPEEDS } from '../url-params';

/** What each key does, as the "?" sheet lists it. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['Space'], what: 'Play or pause (Enter presses a focused button)' },
  { keys: ['→'], what: 'Step: run the next instant at which something happens' },
  { keys: ['Shift', '→'], what: "Step to kube-scheduler's next extension point (opens the pod's Scheduling tab)" },
  { keys: ['←'], what: 'Step back to the previous instant a message was sent (rewinds)' },
  { keys: ['N'], what: 'Run until something interesting happens: a fault or action, a failed scheduling, a pod Running, an eviction, a node NotReady' },
  { keys: ['['], what: 'Slower' },
  { keys: [']'], what: 'Faster (past 100x: as fast as possible)' },
  { keys: ['Home'], what: 'Rewind to the start' },
  { keys: ['End'], what: 'Go to the end of the timeline (the furthest instant reached)' },
  { keys: ['?'], what: 'Show or hide these shortcuts' },
];

export function PlaybackControls() {
  const playing = useClusterStore(selectPlaying);
  const halted = useClusterStore(selectHalted);
  const canStep = useClusterStore(selectCanStep);
  const canStepBack = useClusterStore(selectCanStepBack);
  const togglePlay = useClusterStore(selectTogglePlay);
  const step = useClusterStore(selectStep);
  const stepPoint = useClusterStore(selectStepPoint);
  const runToInteresting = useClusterStore(selectRunToInteresting);
  const stepBack = useClusterStore(selectStepBack);
  const [help, setHelp] = useState(false);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);
  const closeHelp = useCallback(() => setHelp(false), []);
  usePlaybackShortcuts(useClusterStoreApi(), toggleHelp, closeHelp);
  const stopped = halted !== null;
  return (
    <div className="controls" role="toolbar" aria-label="Simulation playback">
      <button
        type="button"
        className="btn btn-primary play"
        data-testid="play-pause"
        data-playing={playing}
        onClick={togglePlay}
        disabled={stopped}
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
        <span>{playing ? 'Pause' : 'Play'}</span>
      </button>
      <div className="btn-group" role="group" aria-label="Stepping">
        <button type="button" className="btn btn-icon" data-testid="step-back-button" onClick={stepBack} disabled={stopped || !canStepBack} aria-label="Step back" title="Step back to the previous instant a message was sent (←)">
          <BackIcon />
        </button>
        <button
          type="button"
          className="btn"
          data-testid="step-button"
          onClick={step}
          disabled={!canStep || stopped}
          title={canStep ? 'Run to the next instant something happens, and pause (→)' : 'Nothing left to happen'}
        >
          <StepIcon />
          <span>Step</span>
        </button>
        <button
          type="button"
          className="btn btn-icon"
          data-testid="step-point-button"
          onClick={stepPoint}
          disabled={!canStep || stopped}
          aria-label="Step to the next scheduling extension point"
          title="Step to kube-scheduler's next extension point: PreFilter, Filter, ..., Bind (Shift+→)"
        >
          <PointIcon />
        </button>
        <button
          type="button"
          className="btn btn-icon"
          data-testid="next-interesting-button"
          onClick={runToInteresting}
          disabled={!canStep || stopped}
          aria-label="Run to the next interesting event"
          title="Run until something interesting happens: a fault or action, a failed scheduling, a pod Running, an eviction (N)"
        >
          <JumpIcon />
        </button>
      </div>
      <SpeedControl />
      <button type="button" className="btn btn-icon" data-testid="shortcuts-button" onClick={toggleHelp} aria-label="Keyboard shortcuts" aria-expanded={help} title="Keyboard shortcuts (?)">
        ?
      </button>
      {help && <ShortcutsSheet close={closeHelp} />}
    </div>
  );
}

/** Speeds a narrow header leaves out ([ and ] still reach them, and the one in use is always shown). */
const MINOR_SPEEDS: ReadonlySet<number> = new Set([0.5, 2, 5, 25]);

/** 0.1x .. 100x, and as fast as possible with the speed it reaches. */
const SpeedControl = memo(function SpeedControl() {
  const speed = useClusterStore(selectSpeed);
  const fastest = useClusterStore(selectFastest);
  const achieved = useClusterStore(selectAchievedSpeed);
  const setSpeed = useClusterStore(selectSetSpeed);
  const setFastest = useClusterStore(selectSetFastest);
  return (
    <div className="segmented speed-control" role="radiogroup" aria-label="Speed" data-testid="speed-control" data-speed={fastest ? 'max' : speed}>
      {SPEEDS.map((s) => (
        <button
          key={s}
          type="button"
          role="radio"
          aria-checked={!fastest && s === speed}
          className={`seg${!fastest && s === speed ? ' active' : ''}${MINOR_SPEEDS.has(s) ? ' minor' : ''}`}
          data-testid={`speed-${s}x`}
          onClick={() => setSpeed(s)}
          title={`${s}x: one wall second is ${s} simulated second${s === 1 ? '' : 's'} ([ and ] change it)`}
        >
          {s}
          {!fastest && s === speed && 'x'}
        </button>
      ))}
      <button
        type="button"
        role="radio"
        aria-checked={fastest}
        className={fastest ? 'seg active' : 'seg'}
        data-testid="speed-max"
        onClick={setFastest}
        title="As fast as possible: each frame runs as much simulation as fits in 12 ms"
      >
        {fastest && achieved !== null ? `max ${formatRate(achieved)}` : 'max'}
      </button>
    </div>
  );
});

function ShortcutsSheet({ close }: { close: () => void }) {
  return (
    <div className="shortcuts-sheet" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts-sheet">
      <header>
        <h2>Keyboard shortcuts</h2>
        <button type="button" className="btn btn-ghost" aria-label="Close" onClick={close}>
          ×
        </button>
      </header>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td className="shortcut-keys">
                {s.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Shortcuts are off while typing in a field.</p>
    </div>
  );
}

/** "640x", "12kx". */
function formatRate(r: number): string {
  if (r >= 10_000) return `${Math.round(r / 1000)}kx`;
  return `${Math.round(r)}x`;
}

/**
 * The window's keys for time (SHORTCUTS). Ignored while typing in a field;
 * keys a focused widget handled itself (tab lists' arrows, a pod token's
 * Space) are left to it. Space plays or pauses even on a focused button
 * (after clicking Step, Space should not step again); Enter presses it.
 */
export function usePlaybackShortcuts(store: ClusterStore, toggleHelp: () => void, closeHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
      // Enter presses a focused button; Space always plays or pauses (a clicked Step button keeps the focus).
      // The YAML editor drawer keeps its own keys.
      if (store.getState().editor !== null) return;
      const s = store.getState();
      let handled = true;
      switch (e.key) {
        case ' ':
          s.togglePlay();
          break;
        case 'ArrowRight':
          if (e.shiftKey) s.stepPoint();
          else s.step();
          break;
        case '.':
          s.step();
          break;
        case 'ArrowLeft':
          s.stepBack();
          break;
        case 'n':
        case 'N':
          s.runToInteresting();
          break;
        case '[':
          s.speedDown();
          break;
        case ']':
          s.speedUp();
          break;
        case 'Home':
          s.seek(0);
          break;
        case 'End':
          s.seek(s.end);
          break;
        case '?':
          toggleHelp();
          break;
        case 'Escape':
          closeHelp();
          handled = false;
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, toggleHelp, closeHelp]);
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}

function PauseIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M4 2.5h3v11H4zM9 2.5h3v11H9z" fill="currentColor" />
    </svg>
  );
}

function StepIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M3 2.5v11l7-5.5zM11 2.5h2.5v11H11z" fill="currentColor" />
    </svg>
  );
}

function BackIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M13 2.5v11l-7-5.5zM2.5 2.5H5v11H2.5z" fill="currentColor" />
    </svg>
  );
}

/** A cycle's steps: dots on a line, one filled. */
function PointIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M1.5 8h13" stroke="currentColor" strokeWidth="1.3" />
      <circle cx="3" cy="8" r="1.8" fill="currentColor" />
      <circle cx="8" cy="8" r="2.6" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <circle cx="13" cy="8" r="1.8" fill="currentColor" opacity="0.5" />
    </svg>
  );
}

function JumpIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M2 3v10l5.5-5zM8 3v10l5.5-5z" fill="currentColor" />
    </svg>
  );
}
