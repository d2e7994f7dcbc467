import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POD_TOKEN_PHASES } from '../store/worker-views';
import { HEAT_VARIABLES, heatIndex, heatPalette, parseColour, PHASE_STYLE, rampColour } from './heat-map-palette';

const styles = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');

/** The declarations of `.pod-token.phase-X { ... }` in styles.css. */
function tokenRule(phase: string): string {
  const m = new RegExp(`(^|\\n)\\.pod-token\\.phase-${phase}\\s*\\{([^}]*)\\}`).exec(styles);
  if (!m) throw new Error(`no .pod-token.phase-${phase} rule in styles.css`);
  return m[2];
}

describe('heat map palette', () => {
  it('pod pixels take the colour variable of the card tokens (.pod-token.phase-* in styles.css), hollow where the card draws an outline', () => {
    for (const phase of POD_TOKEN_PHASES) {
      const rule = tokenRule(phase);
      const { variable, hollow } = PHASE_STYLE[phase];
      if (hollow) expect(rule, phase).toMatch(new RegExp(`box-shadow:[^;]*var\\(${variable}\\)`));
      else expect(rule, phase).toMatch(new RegExp(`background:\\s*var\\(${variable}\\)`));
    }
  });

  it('the heat ramp is defined for both themes', () => {
    const [dark, light] = ['\n.canvas-panel {', "\n[data-theme='light'] .canvas-panel {"].map((sel) => {
      const blocks = styles.split(sel).slice(1).map((b) => b.slice(0, b.indexOf('}')));
      return blocks.find((b) => b.includes('--heat-0')) ?? '';
    });
    for (const v of HEAT_VARIABLES) {
      expect(dark, `dark ${v}`).toMatch(new RegExp(`${v}:\\s*#[0-9a-f]{6}`));
      expect(light, `light ${v}`).toMatch(new RegExp(`${v}:\\s*#[0-9a-f]{6}`));
    }
  });

  it('reads #rgb, #rrggbb, rgb() and rgba(); anything else is null', () => {
    expect(parseColour(' #3fb968 ')).toEqual([63, 185, 104]);
    expect(parseColour('#fff')).toEqual([255, 255, 255]);
    expect(parseColour('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(parseColour('rgba(50, 108, 229, 0.16)')).toEqual([50, 108, 229]);
    expect(parseColour('')).toBeNull();
    expect(parseColour('var(--ok)')).toBeNull();
  });

  it('ramps linearly between evenly spaced stops, clamped to 0..1', () => {
    const stops = [
      [0, 0, 0],
      [90, 90, 90],
      [180, 180, 180],
      [255, 0, 0],
    ] as const;
    expect(rampColour(stops, 0)).toEqual([0, 0, 0]);
    // 0.5 is half way from the second stop (1/3) to the third (2/3).
    expect(rampColour(stops, 0.5)).toEqual([135, 135, 135]);
    expect(rampColour(stops, 1)).toEqual([255, 0, 0]);
    expect(rampColour(stops, 7)).toEqual([255, 0, 0]);
    expect(rampColour(stops, -1)).toEqual([0, 0, 0]);
    expect(rampColour(stops, NaN)).toEqual([0, 0, 0]);
  });

  it('heat is requested over allocatable cpu in whole percent: 750m of 4 cpu is 19%', () => {
    // 750 / 4000 = 18.75%, rounded to 19.
    expect(heatIndex(750, 4000)).toBe(19);
    expect(heatIndex(0, 0)).toBe(0);
    expect(heatIndex(5000, 4000)).toBe(100);
  });

  it('builds 101 heat steps and the phase fills from the theme variables, hollow phases at half strength', () => {
    const vars: Record<string, string> = { '--heat-0': '#000000', '--heat-1': '#000000', '--heat-2': '#000000', '--heat-3': '#ff0000', '--ok': '#3fb968', '--warn': '#e0a33a', '--bad': '#f2564d', '--accent': '#326ce5', '--text': '#ffffff', '--bg-sunken': '#0e131c' };
    const p = heatPalette((v) => vars[v] ?? '');
    expect(p.heat).toHaveLength(101);
    expect(p.heat[0]).toBe('rgb(0, 0, 0)');
    expect(p.heat[100]).toBe('rgb(255, 0, 0)');
    expect(p.phase.Running).toBe('rgb(63, 185, 104)');
    expect(p.phase.Pending).toBe('rgba(224, 163, 58, 0.55)');
    expect(p.notReady).toBe('rgb(242, 86, 77)');
  });
});
