import { describe, expect, it } from 'vitest';
import { describeRetries, effectiveBackendSettings, effectiveLogRotation, retryWindow } from '../src/index.js';

describe('effective settings', () => {
  it('fills in the defaults of the release', () => {
    expect(effectiveBackendSettings('webhook', {}, 30)).toEqual({
      mode: 'batch',
      batch: { bufferSize: 10000, maxSize: 400, maxWait: '30s', throttleEnable: true, throttleQps: 10, throttleBurst: 15 },
      truncate: { enabled: false, maxBatchSize: 10485760, maxEventSize: 102400 },
      version: 'audit.k8s.io/v1',
      initialBackoff: '10s',
    });
    expect(effectiveBackendSettings('log', { mode: 'batch', batch: { maxSize: 5 } }, 11).batch).toEqual({ bufferSize: 10000, maxSize: 5, maxWait: '30s', throttleEnable: false, throttleQps: 10, throttleBurst: 15 });
    expect(effectiveBackendSettings('log', {}, 20).batch.maxSize).toBe(1);
  });

  it('judges log rotation as each release applies it', () => {
    expect(effectiveLogRotation({ path: '/var/log/a.log' }, 35)).toEqual({ rotates: true, maxSizeMiB: 100, compress: false });
    expect(effectiveLogRotation({ path: '/var/log/a.log' }, 36)).toEqual({ rotates: true, maxSizeMiB: 100, maxAgeDays: 366, maxBackups: 100, compress: false });
    expect(effectiveLogRotation({ path: '/var/log/a.log', maxSize: 0, compress: true }, 36)).toEqual({ rotates: false, compress: false });
    expect(effectiveLogRotation({ path: '-', maxAge: 30 }, 30)).toEqual({ rotates: false, compress: false });
    expect(effectiveLogRotation({ path: '/a', compress: true }, 19).compress).toBe(false);
  });
});

describe('the webhook retry schedule', () => {
  it('is 5 attempts with 4 sleeps, d to 3.375d, and a window of 8.125d to 9.75d plus timeouts', () => {
    expect(retryWindow(10)).toEqual({ fastFailMin: 81.25, sleepMax: 97.5, worstCase: 247.5 });
    expect(describeRetries(10)).toBe('5 attempts with 4 sleeps between them: 10 s, 15 s, 22.5 s and 33.75 s (d, 1.5d, 2.25d, 3.375d, each up to 20 % longer), every attempt cut off after 30 s');
  });
});
