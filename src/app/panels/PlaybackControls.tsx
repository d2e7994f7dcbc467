import { useClusterStore } from '../store/store-context';
import { selectCanStep, selectHalted, selectPlaying, selectSetSpeed, selectSpeed, selectStep, selectTogglePlay } from '../store/selectors';
import { SPEEDS } from '../url-params';

export function PlaybackControls() {
  const playing = useClusterStore(selectPlaying);
  const halted = useClusterStore(selectHalted);
  const canStep = useClusterStore(selectCanStep);
  const speed = useClusterStore(selectSpeed);
  const togglePlay = useClusterStore(selectTogglePlay);
  const step = useClusterStore(selectStep);
  const setSpeed = useClusterStore(selectSetSpeed);
  return (
    <div className="controls" role="toolbar" aria-label="Simulation playback">
      <button
        type="button"
        className="btn btn-primary play"
        data-testid="play-pause"
        data-playing={playing}
        onClick={togglePlay}
        disabled={halted !== null}
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
        <span>{playing ? 'Pause' : 'Play'}</span>
      </button>
      <button
        type="button"
        className="btn"
        data-testid="step-button"
        onClick={step}
        disabled={!canStep || halted !== null}
        title={canStep ? 'Run to the next event and pause (.)' : 'Nothing left to happen'}
      >
        <StepIcon />
        <span>Step</span>
      </button>
      <div className="segmented" role="radiogroup" aria-label="Speed">
        {SPEEDS.map((s) => (
          <button
            key={s}
            type="button"
            role="radio"
            aria-checked={s === speed}
            className={s === speed ? 'seg active' : 'seg'}
            data-testid={`speed-${s}x`}
            onClick={() => setSpeed(s)}
            title={`${s}x: one wall second is ${s} simulated second${s === 1 ? '' : 's'}`}
          >
            {s}x
          </button>
        ))}
      </div>
    </div>
  );
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
