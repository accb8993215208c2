import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGoDuration, formatGoDuration, goDurationFromSeconds, goDurationSeconds, parseGoDuration } from '../src/index.js';

describe('Go durations', () => {
  it('reads what time.ParseDuration reads, in nanoseconds', () => {
    expect(parseGoDuration('1m30s')).toBe(90e9);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('0s')).toBe(0);
    expect(parseGoDuration('-0')).toBe(0);
    expect(parseGoDuration('250ms')).toBe(250e6);
    expect(parseGoDuration('1.5h')).toBe(5400e9);
    expect(parseGoDuration('.5s')).toBe(5e8);
    expect(parseGoDuration('5.s')).toBe(5e9);
    expect(parseGoDuration('1h2m3s4ms5us6ns')).toBe(3723004005006);
    expect(parseGoDuration('3\u00b5s')).toBe(3000);
    expect(parseGoDuration('3\u03bcs')).toBe(3000);
    expect(parseGoDuration('-2s')).toBe(-2e9);
    expect(parseGoDuration('+2s')).toBe(2e9);
    // Go truncates a fraction below a nanosecond.
    expect(parseGoDuration('1.9999ns')).toBe(1);
  });

  it('refuses what Go refuses', () => {
    for (const text of ['', '10', '1 s', ' 1s', '1s ', '1sec', 's', '.s', '-', '1d', '1e3s', '1_0s', '9223372036854775808ns', '2562048h', '0x10s']) {
      expect(parseGoDuration(text), text).toBeUndefined();
    }
    expect(parseGoDuration('9223372036854775807ns')).toBe(9223372036854775807);
    expect(parseGoDuration('-9223372036854775808ns')).toBe(-9223372036854775808);
  });

  it('writes what Duration.String() writes (microseconds as us)', () => {
    expect([0, 1, 1500, 250e6, 1.5e9, 30e9, 90e9, 3600e9, 3723004005006, -2e9].map(formatGoDuration)).toEqual(['0s', '1ns', '1.5us', '250ms', '1.5s', '30s', '1m30s', '1h0m0s', '1h2m3.004005006s', '-2s']);
    expect(() => formatGoDuration(0.5)).toThrow(RangeError);
    expect(goDurationFromSeconds(27.5)).toBe('27.5s');
    expect(goDurationSeconds('1m30s')).toBe(90);
  });

  it('reads back every duration it writes, to the nanosecond', () => {
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (ns) => parseGoDuration(formatGoDuration(ns)) === ns), { numRuns: 2000 });
  });

  it('reports a Problem at the option for anything else', () => {
    expect(checkGoDuration('30', 'webhook.initialBackoff')).toMatchObject({ code: 'flag-not-duration', path: 'webhook.initialBackoff' });
    expect(checkGoDuration(30, 'webhook.initialBackoff')?.code).toBe('flag-not-duration');
    expect(checkGoDuration('30s', 'webhook.initialBackoff')).toBeUndefined();
  });
});
