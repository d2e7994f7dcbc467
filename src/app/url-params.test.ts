import { describe, expect, it } from 'vitest';
import { readStartOptions } from './url-params';

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
  });
});
