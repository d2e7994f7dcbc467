import { describe, expect, it } from 'vitest';
import { formatLabels, humanDuration, rfc1123z, since } from './humanize';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('duration.HumanDuration (AGE, LAST SEEN)', () => {
  it.each([
    [0, '0s'],
    [-1500, '0s'], // up to a second of skew is "now"
    [-2500, '<invalid>'],
    [119 * s + 999, '119s'], // seconds up to 2 minutes
    [2 * m, '2m'],
    [2 * m + 5 * s, '2m5s'], // minutes and seconds below 10 minutes
    [10 * m + 30 * s, '10m'],
    [3 * h - 1, '179m'], // minutes below 3 hours
    [3 * h, '3h'],
    [3 * h + 30 * m, '3h30m'], // hours and minutes below 8 hours
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [48 * h, '2d'],
    [2 * d + 3 * h, '2d3h'], // days and hours below 8 days
    [8 * d + 3 * h, '8d'],
    [730 * d, '2y'], // 2 years = 730 days
    [731 * d, '2y1d'],
    [365 * 8 * d, '8y'],
  ])('%d ms is %s', (ms, text) => expect(humanDuration(ms)).toBe(text));

  it('ages are measured on the simulated clock from second-precision timestamps', () => {
    // Created at virtual 0 (2026-01-01T00:00:00Z), now 90.9 s: 90 whole seconds.
    expect(since('2026-01-01T00:00:00Z', 90_900)).toBe('90s');
    expect(since(undefined, 0)).toBe('<unknown>');
  });
});

describe('formats', () => {
  it('time.RFC1123Z in UTC', () => expect(rfc1123z('2026-01-01T00:00:04Z')).toBe('Thu, 01 Jan 2026 00:00:04 +0000'));
  it('labels.FormatLabels sorts keys', () => {
    expect(formatLabels({ tier: 'db', app: 'web' })).toBe('app=web,tier=db');
    expect(formatLabels({})).toBe('<none>');
  });
});
