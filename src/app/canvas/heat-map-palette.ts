// The heat map's colours, from the theme's CSS variables (styles.css), read
// once per theme: pods in the colours the card tokens use (the .phase-*
// rules), and utilisation on a ramp of --heat-0 .. --heat-3 that avoids the
// phases' green, amber and red, so a pod's pixel stands out on any tile.
import type { PodTokenPhase } from '../store/worker-views';

/** How .pod-token.phase-* paints each phase: its colour variable, and whether it is only an outline. */
export const PHASE_STYLE: Record<PodTokenPhase, { variable: string; hollow: boolean }> = {
  Pending: { variable: '--warn', hollow: true },
  ContainerCreating: { variable: '--warn', hollow: false },
  Running: { variable: '--ok', hollow: false },
  Terminating: { variable: '--bad', hollow: true },
  Succeeded: { variable: '--accent', hollow: false },
  Failed: { variable: '--bad', hollow: false },
};

export const HEAT_VARIABLES = ['--heat-0', '--heat-1', '--heat-2', '--heat-3'] as const;

export type Rgb = readonly [number, number, number];

export interface HeatPalette {
  /** 101 fill styles, for 0% .. 100% cpu requested. */
  heat: readonly string[];
  /** A pixel's fill per phase; hollow phases (only an outline on a card) are drawn at half strength. */
  phase: Readonly<Record<PodTokenPhase, string>>;
  notReady: string;
  unknown: string;
  /** The cordon mark. */
  mark: string;
  /** The ring around the tile of the node the inspector shows. */
  selected: string;
  /** Behind the tiles: the canvas background. */
  background: string;
}

/** "#rgb", "#rrggbb", "rgb(r, g, b)" or "rgba(...)" to channels; null for anything else. */
export function parseColour(text: string): Rgb | null {
  const s = text.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as unknown as Rgb;
  m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as unknown as Rgb;
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}

/** The colour at fraction f of a ramp of evenly spaced stops, linearly in RGB. */
export function rampColour(stops: readonly Rgb[], f: number): Rgb {
  const t = Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(t));
  const u = t - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * u)) as unknown as Rgb;
}

const css = ([r, g, b]: Rgb, alpha = 1) => (alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`);

/** The palette from a variable reader (getComputedStyle(el).getPropertyValue in the browser). */
export function heatPalette(read: (variable: string) => string): HeatPalette {
  const colour = (v: string, fallback: Rgb) => parseColour(read(v)) ?? fallback;
  const grey: Rgb = [128, 128, 128];
  const stops = HEAT_VARIABLES.map((v) => colour(v, grey));
  const heat = Array.from({ length: 101 }, (_, i) => css(rampColour(stops, i / 100)));
  const phase = Object.fromEntries(
    Object.entries(PHASE_STYLE).map(([p, s]) => [p, css(colour(s.variable, grey), s.hollow ? 0.55 : 1)]),
  ) as Record<PodTokenPhase, string>;
  return {
    heat,
    phase,
    notReady: css(colour('--bad', grey)),
    unknown: css(colour('--warn', grey)),
    mark: css(colour('--text', grey)),
    selected: css(colour('--accent-text', grey)),
    background: css(colour('--bg-sunken', grey)),
  };
}

/** The heat colour of cpu requested over allocatable (a node offering nothing is cold). */
export function heatIndex(requested: number, allocatable: number): number {
  if (!(allocatable > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((requested / allocatable) * 100)));
}
