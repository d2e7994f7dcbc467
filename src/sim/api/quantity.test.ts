import { describe, expect, it } from 'vitest';
import {
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  QuantityError,
  addQuantity,
  canonicalQuantity,
  compareQuantity,
  formatQuantity,
  isQuantity,
  milliValue,
  parseQuantity,
  value,
} from './quantity';

describe('parseQuantity', () => {
  // [input, milli, format, canonical, Value(), MilliValue()], worked out by hand.
  const cases: [string, number, string, string, number, number][] = [
    ['500m', 500, 'DecimalSI', '500m', 1, 500],
    ['2', 2000, 'DecimalSI', '2', 2, 2000],
    ['128Mi', 128 * 1024 * 1024 * 1000, 'BinarySI', '128Mi', 134217728, 134217728000],
    ['1Gi', 1073741824000, 'BinarySI', '1Gi', 1073741824, 1073741824000],
    ['1G', 1e12, 'DecimalSI', '1G', 1e9, 1e12],
    ['1e3', 1e6, 'DecimalExponent', '1e3', 1000, 1e6],
    ['0.1', 100, 'DecimalSI', '100m', 1, 100],
    ['1.5Gi', 1.5 * 1073741824000, 'BinarySI', '1536Mi', 1610612736, 1610612736000],
    ['100Ki', 102400000, 'BinarySI', '100Ki', 102400, 102400000],
    ['-1', -1000, 'DecimalSI', '-1', -1, -1000],
    ['+1', 1000, 'DecimalSI', '1', 1, 1000],
    ['.5', 500, 'DecimalSI', '500m', 1, 500],
    ['1000', 1e6, 'DecimalSI', '1k', 1000, 1e6],
    ['1.5', 1500, 'DecimalSI', '1500m', 2, 1500],
    ['1E', 1e21, 'DecimalSI', '1E', 1e18, 1e21],
    ['12e6', 12e9, 'DecimalExponent', '12e6', 12e6, 12e9],
    ['1.5e3', 1.5e6, 'DecimalExponent', '1500', 1500, 1.5e6],
    ['1e-3', 1, 'DecimalExponent', '1e-3', 1, 1],
    ['-0.5', -500, 'DecimalSI', '-500m', -1, -500],
    ['0', 0, 'DecimalSI', '0', 0, 0],
    ['1.', 1000, 'DecimalSI', '1', 1, 1000],
    // 1126.4 is not a whole number of bytes, so it prints in decimal.
    ['1.1Ki', 1126400, 'BinarySI', '1126400m', 1127, 1126400],
    // A binary value below 1024 prints without a suffix.
    ['0.5Ki', 512000, 'BinarySI', '512', 512, 512000],
  ];
  it.each(cases)('%s', (input, milli, format, canonical, v, mv) => {
    const q = parseQuantity(input);
    expect(q).toEqual({ milli, format });
    expect(formatQuantity(q)).toBe(canonical);
    expect(value(q)).toBe(v);
    expect(milliValue(q)).toBe(mv);
  });

  it('keeps nano precision and rounds anything finer up', () => {
    expect(formatQuantity(parseQuantity('1n'))).toBe('1n');
    expect(formatQuantity(parseQuantity('250u'))).toBe('250u');
    expect(formatQuantity(parseQuantity('0.0000000001'))).toBe('1n');
    expect(milliValue(parseQuantity('1n'))).toBe(1);
    expect(value(parseQuantity('1n'))).toBe(1);
  });

  it('reads numbers as YAML gives them', () => {
    expect(parseQuantity(2)).toEqual({ milli: 2000, format: 'DecimalSI' });
    expect(formatQuantity(parseQuantity(0.25))).toBe('250m');
  });

  it.each(['1.2.3', 'abc', '10 Gi', '1Qi', '', '1 '])('rejects %j with the regular-expression message', (input) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(ERR_FORMAT_WRONG);
  });

  it('names the expression upstream uses', () => {
    expect(ERR_FORMAT_WRONG).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  it.each(['1ki', '1e', '1Mi5', '1mi'])('rejects the unknown suffix of %j', (input) => {
    expect(() => parseQuantity(input)).toThrow(ERR_SUFFIX);
  });

  it('accepts what upstream lets through: a bare suffix or sign is zero', () => {
    expect(parseQuantity('Gi').milli).toBe(0);
    expect(parseQuantity('-').milli).toBe(0);
  });

  it('isQuantity tells them apart', () => {
    expect(isQuantity('250m')).toBe(true);
    expect(isQuantity('250 m')).toBe(false);
  });
});

describe('arithmetic and canonical strings', () => {
  it('compares and adds by value', () => {
    expect(compareQuantity(parseQuantity('1'), parseQuantity('1000m'))).toBe(0);
    expect(compareQuantity(parseQuantity('1Gi'), parseQuantity('1G'))).toBe(1);
    expect(formatQuantity(addQuantity(parseQuantity('1Gi'), parseQuantity('512Mi')))).toBe('1536Mi');
    expect(formatQuantity(addQuantity(parseQuantity('100m'), parseQuantity('200m')))).toBe('300m');
  });

  it('canonicalQuantity leaves what does not parse alone', () => {
    expect(canonicalQuantity(' 0.5 ')).toBe('500m');
    expect(canonicalQuantity('lots')).toBe('lots');
  });
});
