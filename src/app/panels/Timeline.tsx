// The timeline under the canvas (issue 7): simulated time from 0 to the
// furthest instant reached on this branch, with markers for the user's
// actions (those still ahead after a rewind hatched: they re-apply when
// played forward), the scenario's own timeline, faults, scheduling failures,
// evictions, nodes leaving Ready and forks; the current instant as a
// playhead. Clicking or dragging seeks (a rewind replays from a checkpoint:
// scenario/history.ts); at most one seek per frame while dragging, and the
// playhead follows the pointer at once so a slow replay never stutters it.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';
import { formatClock } from '../format-clock';
import { groupMarkers, timelineSpan, timelineTicks, type MarkerGroup, type MarkerKind, type TimelineMarker } from '../store/timeline-markers';
import { useClusterStore } from '../store/store-context';
import { selectEnd, selectMarkers, selectNow, selectSeek, selectStopReason } from '../store/selectors';
import type { ClusterViewState } from '../store/cluster-store';

const KIND_LABEL: Record<MarkerKind, string> = {
  user: 'your action',
  scenario: 'scenario action',
  fork: 'fork',
  'scheduling-failed': 'failed scheduling',
  eviction: 'eviction',
  'node-not-ready': 'node not Ready',
  'leader-change': 'new leader',
};

/** How many user actions are ahead of the playhead (after a rewind). */
const selectAhead = (s: ClusterViewState) => s.timeline.length - s.timelineApplied;
/** The latest marker's instant: the span must show the scenario's actions still to come. */
const selectLastMarker = (s: ClusterViewState) => (s.markers.length ? s.markers[s.markers.length - 1].at : 0);

export function Timeline() {
  const now = useClusterStore(selectNow);
  const end = useClusterStore(selectEnd);
  const markers = useClusterStore(selectMarkers);
  const lastMarker = useClusterStore(selectLastMarker);
  const seek = useClusterStore(selectSeek);
  const ahead = useClusterStore(selectAhead);
  const span = timelineSpan(Math.max(end, now, lastMarker));
  const track = useRef<HTMLDivElement>(null);
  const width = useWidth(track);
  const [scrub, setScrub] = useState<number | null>(null);
  const request = useFrameSeek(seek);

  const instantAt = (clientX: number) => {
    const r = track.current!.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientX - r.left) / Math.max(r.width, 1)));
    // Past the furthest instant reached, a seek would run the cluster on: allow it up to there only.
    return Math.min(Math.round(f * span), Math.max(end, now));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const t = instantAt(e.clientX);
    setScrub(t);
    request(t);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (scrub === null) return;
    const t = instantAt(e.clientX);
    setScrub(t);
    request(t);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (scrub === null) return;
    request(instantAt(e.clientX), true);
    setScrub(null);
  };

  const shown = scrub ?? now;
  const x = (t: number) => `${((Math.min(t, span) / span) * 100).toFixed(3)}%`;
  return (
    <section className="panel timeline-panel" data-testid="timeline" aria-label="Timeline" data-span={span} data-end={end}>
      <div className="timeline-row">
        <span className="timeline-now mono" data-testid="timeline-now" title="The instant shown / the furthest instant reached on this branch">
          {formatClock(shown)}
          <span className="muted"> / {formatClock(end)}</span>
        </span>
        <div
          ref={track}
          className={`timeline-track${scrub !== null ? ' scrubbing' : ''}`}
          data-testid="timeline-track"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
        >
          <Ticks span={span} />
          <div className="timeline-reached" style={{ width: x(end) }} />
          <div className="timeline-past" style={{ width: x(shown) }} />
          {end > shown && (
            <div
              className="timeline-ahead"
              data-testid="timeline-ahead"
              style={{ left: x(shown), width: `calc(${x(end)} - ${x(shown)})` }}
              title="Ahead of the instant shown: played forward, the same history happens again; acting now forks it"
            />
          )}
          <MarkerLayer markers={markers} span={span} width={width} seek={seek} />
          <div
            className="timeline-playhead"
            data-testid="timeline-playhead"
            data-ms={shown}
            style={{ left: x(shown) }}
            role="slider"
            tabIndex={0}
            aria-label="Simulated time"
            aria-valuemin={0}
            aria-valuemax={Math.max(end, now)}
            aria-valuenow={shown}
            aria-valuetext={formatClock(shown)}
          />
        </div>
      </div>
      <TimelineStatus ahead={ahead} rewound={end > now} />
    </section>
  );
}

/** Tick labels on round times, behind everything. */
const Ticks = memo(function Ticks({ span }: { span: number }) {
  const ticks = useMemo(() => timelineTicks(span), [span]);
  return (
    <div className="timeline-ticks" aria-hidden="true">
      {ticks.map((t) => (
        <span key={t} className={`timeline-tick${t >= span ? ' last' : ''}`} style={{ left: `${(t / span) * 100}%` }}>
          <span>{tickLabel(t)}</span>
        </span>
      ))}
    </div>
  );
});

/** The markers, grouped where they would overlap; re-rendered only when they, the span or the width change. */
const MarkerLayer = memo(function MarkerLayer({ markers, span, width, seek }: { markers: readonly TimelineMarker[]; span: number; width: number; seek: (t: number) => void }) {
  const groups = useMemo(() => groupMarkers(markers, span, Math.max(width, 1)), [markers, span, width]);
  return (
    <div className="timeline-markers">
      {groups.map((g) => (
        <MarkerMark key={g.markers[0].id} group={g} seek={seek} />
      ))}
    </div>
  );
});

function MarkerMark({ group, seek }: { group: MarkerGroup; seek: (t: number) => void }) {
  const labels = group.markers.slice(0, 6).map((m) => `${formatClock(m.at)}  ${m.label}`);
  if (group.markers.length > 6) labels.push(`... and ${group.markers.length - 6} more`);
  return (
    <button
      type="button"
      className={`timeline-marker kind-${group.kind}${group.fault ? ' fault' : ''}${group.ahead ? ' ahead' : ''}`}
      style={{ left: `${(group.x * 100).toFixed(3)}%` }}
      data-testid="timeline-marker"
      data-kind={group.kind}
      data-at={group.at}
      data-ahead={group.ahead}
      data-count={group.markers.length}
      title={labels.join('\n')}
      aria-label={`${KIND_LABEL[group.kind]} at ${formatClock(group.at)}: ${group.markers[0].label}${group.markers.length > 1 ? ` (+${group.markers.length - 1})` : ''}`}
      onPointerDown={(e) => e.stopPropagation()}
      onClick={() => seek(group.at)}
    >
      {group.markers.length > 1 && <span className="timeline-marker-count">{group.markers.length}</span>}
    </button>
  );
}

/** Why the last search stopped, what is ahead after a rewind, or how to use the timeline. */
function TimelineStatus({ ahead, rewound }: { ahead: number; rewound: boolean }) {
  const stopReason = useClusterStore(selectStopReason);
  let text: string;
  let tone = '';
  let hint = false;
  if (stopReason) {
    text = stopReason;
    tone = ' stop';
  } else if (rewound && ahead > 0) {
    text = `Rewound: ${ahead === 1 ? 'your later action re-applies' : `your ${ahead} later actions re-apply`} when you play forward; acting now forks history and drops ${ahead === 1 ? 'it' : 'them'}.`;
    tone = ' ahead';
  } else if (rewound) text = 'Rewound: playing forward replays the same history.';
  else {
    text = 'Drag to rewind · ← → step · Shift+→ scheduling point · N next event · ? keys';
    hint = true;
  }
  return (
    <div className="timeline-status-row">
      <p className={`timeline-status${tone}`} data-testid="timeline-status" title={text}>
        {text}
      </p>
      {/* The legend makes room for a message. */}
      <ul className={`timeline-legend${hint ? '' : ' hidden'}`} aria-label="Marker colours">
        {(['user', 'scenario', 'scheduling-failed', 'eviction', 'node-not-ready', 'leader-change'] as const).map((k) => (
          <li key={k}>
            <span className={`timeline-marker legend kind-${k}`} aria-hidden="true" />
            {KIND_LABEL[k]}
          </li>
        ))}
        <li>
          <span className="timeline-marker legend kind-scenario fault" aria-hidden="true" />
          fault
        </li>
      </ul>
    </div>
  );
}

/** "0", "30s", "5m", "1h", "1h30m". */
function tickLabel(t: number): string {
  if (t === 0) return '0';
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  if (h > 0) return `${h}h${m ? `${m}m` : ''}`;
  if (m > 0) return `${m}m${s ? `${s}s` : ''}`;
  return `${s}s`;
}

/** The element's width in px, kept up to date. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => setWidth(Math.round(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** Seeks at most once per animation frame (the latest instant asked for wins); `now` seeks at once. */
function useFrameSeek(seek: (t: number) => void): (t: number, now?: boolean) => void {
  const pending = useRef<number | null>(null);
  const frame = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );
  return useCallback(
    (t: number, now = false) => {
      pending.current = t;
      const flush = () => {
        frame.current = null;
        const p = pending.current;
        pending.current = null;
        if (p !== null) seek(p);
      };
      if (now) {
        if (frame.current !== null) cancelAnimationFrame(frame.current);
        return flush();
      }
      if (frame.current === null) frame.current = requestAnimationFrame(flush);
    },
    [seek],
  );
}
