import { describe, expect, it } from 'vitest';
import { formatClock, formatInstant } from './format-clock';

describe('formatClock', () => {
  it('shows mm:ss.mmm under an hour', () => {
    expect(formatClock(0)).toBe('00:00.000');
    expect(formatClock(30_000)).toBe('00:30.000');
    expect(formatClock(125_250)).toBe('02:05.250');
    expect(formatClock(3_599_999)).toBe('59:59.999');
  });

  it('shows 1h02m03s from an hour on', () => {
    expect(formatClock(3_723_000)).toBe('1h02m03s');
    expect(formatClock(36_000_000)).toBe('10h00m00s');
  });

  it('drops fractions of a millisecond', () => {
    expect(formatClock(1.9)).toBe('00:00.001');
  });
});

describe('formatInstant', () => {
  it('is compact', () => {
    expect(formatInstant(30_100)).toBe('30.100s');
    expect(formatInstant(65_000)).toBe('1m05.000s');
  });
});
