import { useClusterStore } from '../store/store-context';
import { selectNow } from '../store/selectors';
import { formatClock } from '../format-clock';

/** The simulated clock. The only component that re-renders on every frame while playing. */
export function Clock() {
  const now = useClusterStore(selectNow);
  return (
    <div className="clock" title="Simulated time since the scenario started">
      <span className="clock-label">sim time</span>
      <output className="clock-value" data-testid="sim-clock" data-ms={now} aria-live="off">
        {formatClock(now)}
      </output>
    </div>
  );
}
