import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, fraction } from './format-resources';

describe('node card quantities', () => {
  it('cpu: whole cores as cores, the rest in millicores', () => {
    expect(formatCpu(4000)).toBe('4');
    expect(formatCpu(250)).toBe('250m');
    expect(formatCpu(1500)).toBe('1500m');
    expect(formatCpu(0)).toBe('0');
  });

  it('memory: binary units, whole when whole', () => {
    expect(formatMemory(16 * 1024 ** 3)).toBe('16Gi');
    expect(formatMemory(128 * 1024 ** 2)).toBe('128Mi');
    // 1.5 x 1024^3 bytes
    expect(formatMemory(1610612736)).toBe('1.5Gi');
    expect(formatMemory(512)).toBe('512');
  });

  it('fraction of allocatable, capped at 1', () => {
    // 250m of 4 cores = 0.0625
    expect(fraction(250, 4000)).toBe(0.0625);
    expect(fraction(5000, 4000)).toBe(1);
    expect(fraction(0, 0)).toBe(0);
    expect(fraction(1, 0)).toBe(1);
  });
});
