import { describe, expect, it } from 'vitest';
import { microTimestamp, microVirtualMs, timestamp, virtualMs } from './time';

describe('virtualMs', () => {
  it('reads the stamps timestamp() and microTimestamp() write, cut to milliseconds', () => {
    expect(virtualMs('2026-01-01T00:00:10Z')).toBe(10_000);
    expect(virtualMs('2026-01-01T00:00:10.123Z')).toBe(10_123);
    // Another second after the one remembered, then back to it.
    expect(virtualMs('2026-01-01T01:00:00.007Z')).toBe(3_600_007);
    expect(virtualMs('2026-01-01T00:00:10.999Z')).toBe(10_999);
    expect(virtualMs('2025-12-31T23:59:59Z')).toBe(-1_000);
    expect(virtualMs(timestamp(86_400_000 + 42_500))).toBe(86_442_000);
    expect(virtualMs(microTimestamp(5_250).replace('000Z', 'Z'))).toBe(5_250);
  });

  it('leaves other shapes to Date.parse', () => {
    expect(virtualMs('2026-01-01T00:01:00.5Z')).toBe(60_500);
    expect(virtualMs('2026-01-01T00:00:10.123456Z')).toBe(10_123);
    expect(virtualMs('2026-01-01T00:00:10+01:00')).toBe(10_000 - 3_600_000);
    expect(virtualMs('2026-01-01T00:00:1x.123Z')).toBeNaN();
    expect(virtualMs('2026-01-01T00:00:10.12xZ')).toBeNaN();
    expect(virtualMs('not a time at all, no!')).toBeNaN();
  });
});

describe('microVirtualMs', () => {
  it('reads a MicroTime cut to the millisecond', () => {
    expect(microVirtualMs('2026-01-01T00:00:10.123456Z')).toBe(10_123);
    expect(microVirtualMs(microTimestamp(70_009))).toBe(70_009);
    expect(microVirtualMs('2026-01-01T00:00:10.123Z')).toBe(10_123);
    expect(microVirtualMs('2026-01-01T00:00:10Z')).toBe(10_000);
    // Not the stamp microTimestamp writes: cut, then parsed as virtualMs would.
    expect(microVirtualMs('2026-01-01T00:00:10.1234+01:00')).toBe(10_123 - 3_600_000);
    expect(microVirtualMs('2026-01-01T00:00:1x.123456Z')).toBeNaN();
  });
});
