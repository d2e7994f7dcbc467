import { describe, expect, it } from 'vitest';
import { age, humanDuration } from './format-age';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it('counts seconds up to 2 minutes, truncating', () => {
    expect(humanDuration(0)).toBe('0s');
    expect(humanDuration(999)).toBe('0s');
    expect(humanDuration(45 * s + 900)).toBe('45s');
    // 119.9 s is still seconds; 120 s switches to minutes.
    expect(humanDuration(119_900)).toBe('119s');
    expect(humanDuration(2 * m)).toBe('2m');
  });

  it('treats up to a second in the future as now, and more as invalid', () => {
    // Go's int(d.Seconds()) truncates toward zero: -1.5 s is -1 (0s), -2 s is invalid.
    expect(humanDuration(-1500)).toBe('0s');
    expect(humanDuration(-2000)).toBe('<invalid>');
  });

  it('shows minutes and seconds below 10 minutes, then minutes below 3 hours', () => {
    // 192 s = 3 m 12 s.
    expect(humanDuration(192 * s)).toBe('3m12s');
    expect(humanDuration(5 * m)).toBe('5m');
    expect(humanDuration(9 * m + 59 * s)).toBe('9m59s');
    // From 10 minutes the seconds go: 10 m 30 s prints 10m.
    expect(humanDuration(10 * m + 30 * s)).toBe('10m');
    expect(humanDuration(179 * m)).toBe('179m');
  });

  it('shows hours and minutes below 8 hours, hours below 2 days', () => {
    expect(humanDuration(3 * h)).toBe('3h');
    expect(humanDuration(3 * h + 5 * m)).toBe('3h5m');
    expect(humanDuration(8 * h + 59 * m)).toBe('8h');
    expect(humanDuration(47 * h)).toBe('47h');
  });

  it('shows days and hours below 8 days, days below 2 years, then years', () => {
    expect(humanDuration(2 * d + 5 * h)).toBe('2d5h');
    expect(humanDuration(3 * d)).toBe('3d');
    expect(humanDuration(8 * d + 23 * h)).toBe('8d');
    expect(humanDuration(729 * d)).toBe('729d');
    // 2 years and 10 days: 740 days = 2 y 10 d.
    expect(humanDuration(740 * d)).toBe('2y10d');
    expect(humanDuration(730 * d)).toBe('2y');
    expect(humanDuration(9 * 365 * d + 40 * d)).toBe('9y');
  });

  it('age is now minus the instant', () => {
    expect(age(4_000, 30_000)).toBe('26s');
  });
});
