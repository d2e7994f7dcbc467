import { describe, expect, it } from 'vitest';
import { readScenarioParam, readStartOptions, simulationInWorker } from './url-params';

describe('readStartOptions', () => {
  it('starts playing at 0 at 1x with no parameters', () => {
    expect(readStartOptions('')).toEqual({ startAt: 0, paused: false, speed: 1, notices: [] });
  });

  it('?t= runs to that instant and starts paused', () => {
    expect(readStartOptions('?t=30s')).toMatchObject({ startAt: 30_000, paused: true, notices: [] });
    expect(readStartOptions('?t=1m30s')).toMatchObject({ startAt: 90_000, paused: true });
  });

  it('?paused starts paused at 0; ?paused=false does not', () => {
    expect(readStartOptions('?paused')).toMatchObject({ startAt: 0, paused: true, notices: [] });
    expect(readStartOptions('?paused=false')).toMatchObject({ paused: false });
    expect(readStartOptions('?t=5s&paused=0')).toMatchObject({ startAt: 5000, paused: false });
  });

  it('a bad t is named in a notice and ignored', () => {
    const o = readStartOptions('?t=banana');
    expect(o).toMatchObject({ startAt: 0, paused: false });
    expect(o.notices).toHaveLength(1);
    expect(o.notices[0]).toContain('URL parameter t="banana"');
    expect(readStartOptions('?t=30').notices[0]).toContain('missing unit');
    expect(readStartOptions('?t=-5s').notices[0]).toContain('negative');
    expect(readStartOptions('?t=100h').notices[0]).toContain('at most');
  });

  it('?speed takes one of the offered speeds', () => {
    expect(readStartOptions('?speed=10')).toMatchObject({ speed: 10, notices: [] });
    expect(readStartOptions('?speed=0.1x')).toMatchObject({ speed: 0.1 });
    const bad = readStartOptions('?speed=7');
    expect(bad.speed).toBe(1);
    expect(bad.notices[0]).toContain('URL parameter speed="7"');
    expect(readStartOptions('?speed=25x')).toMatchObject({ speed: 25, notices: [] });
    expect(readStartOptions('?speed=0.5')).toMatchObject({ speed: 0.5 });
  });

  it('?speed=max runs as fast as possible', () => {
    expect(readStartOptions('?speed=max')).toEqual({ startAt: 0, paused: false, speed: 1, fastest: true, notices: [] });
    expect(readStartOptions('?speed=10').fastest).toBeUndefined();
  });
});

describe('readScenarioParam', () => {
  it('?scenario=NAME names a built-in scenario; absent or empty names none', () => {
    expect(readScenarioParam('?scenario=scale-1000-nodes&t=20s')).toBe('scale-1000-nodes');
    expect(readScenarioParam('?scenario=%20node-failure%20')).toBe('node-failure');
    expect(readScenarioParam('?t=20s')).toBeNull();
    expect(readScenarioParam('?scenario=')).toBeNull();
  });

  it('#scenario=NAME in the fragment names one too, and wins over ?scenario=', () => {
    expect(readScenarioParam('', '#scenario=node-failure')).toBe('node-failure');
    expect(readScenarioParam('?scenario=crash-loop', '#scenario=zone-outage')).toBe('zone-outage');
    expect(readScenarioParam('?scenario=crash-loop', '#scenario=')).toBe('crash-loop');
    expect(readScenarioParam('', '#s=abc')).toBeNull();
  });

  it('does not disturb the start options', () => {
    expect(readStartOptions('?scenario=scale-50-nodes')).toEqual({ startAt: 0, paused: false, speed: 1, notices: [] });
  });
});

describe('simulationInWorker', () => {
  it('runs the simulation in a worker unless ?worker=0 (or the browser has none)', () => {
    expect(simulationInWorker('', true)).toBe(true);
    expect(simulationInWorker('?worker=1', true)).toBe(true);
    expect(simulationInWorker('?worker=0', true)).toBe(false);
    expect(simulationInWorker('?t=30s&worker=off', true)).toBe(false);
    expect(simulationInWorker('', false)).toBe(false);
  });
});
