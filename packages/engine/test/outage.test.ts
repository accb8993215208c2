// The outage prediction against a measurement on a real kube-apiserver 1.20.2: a 150 s receiver
// outage (the receiver stopped, so connections were refused) with the default webhook flags lost
// 1,600 of ~4,650 events; the batches were given up 85.9-92.1 s after their first attempt, and all
// of them were counted in apiserver_audit_error_total. The flags `tune --outage 150` recommended
// lost none.
//
// The load, derived from those numbers: 1,600 is exactly 4 batches of the default 400, so batches
// left full, by size. A batch is lost when its retries end inside the outage, so the lost ones
// were first sent within 150 s - (85.9 to 92.1 s) = 57.9 to 64.1 s of the outage's start (the
// first of them also carrying events batched before it). Four sends in that window, not three or
// five, need a batch interval 400/λ between 57.9/4 and 64.1/3 s: λ from 18.7 to 27.6 events/s.
// 25 events/s lies in that range, and makes ~4,650 events a run of 186 s of traffic around the
// 150 s outage; the test uses it, and checks the neighbours of the range lose other whole numbers
// of batches.
import { describe, expect, it } from 'vitest';
import { predictOutage } from '../src/outage.js';
import { tune } from '../src/tune.js';

const MEASURED_LOAD = 25;
const OUTAGE = 150;

describe('predictOutage: the 150 s outage measured on kube-apiserver 1.20.2', () => {
  const prediction = predictOutage({ settings: {}, eventsPerSecond: MEASURED_LOAD, outageSeconds: OUTAGE, kubernetesVersion: '1.20.2' });

  it('loses 1,600 events, 4 whole batches of 400, all through the webhook plugin', () => {
    expect(prediction.lost.median).toBe(1600);
    expect(prediction.lostBatches).toBe(4);
    expect(prediction.lostBy).toEqual({ webhook: 1600, buffered: 0 });
    // Where the outage falls between two batches moves at most one batch.
    expect(prediction.lost.min).toBeGreaterThanOrEqual(1200);
    expect(prediction.lost.max).toBeLessThanOrEqual(2000);
    expect(prediction.lost.min % 400).toBe(0);
  });

  it('gives batches up 81.25-97.5 s after their first attempt, the range holding the measured 85.9-92.1 s', () => {
    const { min, max } = prediction.givenUpAfter!;
    expect(min).toBeGreaterThanOrEqual(81.25);
    expect(max).toBeLessThanOrEqual(97.5);
    expect(min).toBeLessThanOrEqual(85.9);
    expect(max).toBeGreaterThanOrEqual(92.1);
  });

  it('says when apiserver_audit_error_total first rises: one retry window after the first batch sent into the outage', () => {
    const { min, max } = prediction.firstErrorAfter!;
    expect(min).toBeGreaterThanOrEqual(81.25);
    expect(max).toBeLessThanOrEqual(97.5 + 400 / MEASURED_LOAD);
    expect(prediction.explanation).toContain('only the batches first sent in the first');
  });

  it('loses nothing with the flags tune recommends for a 150 s outage', () => {
    const recommended = tune({ backend: 'webhook', requestsPerSecond: MEASURED_LOAD, stagesPerRequest: 1, backendLatency: 0.1, outage: OUTAGE, kubernetesVersion: '1.20.2' });
    expect(recommended.estimates.outage?.lost.max).toBe(0);
    const again = predictOutage({ settings: recommended.settings, eventsPerSecond: MEASURED_LOAD, outageSeconds: OUTAGE, kubernetesVersion: '1.20.2', runs: 24 });
    expect(again.lost.max).toBe(0);
    expect(again.firstErrorAfter).toBeUndefined();
  });

  it('loses fewer whole batches below the derived load range and more above it', () => {
    const lost = (eventsPerSecond: number) => predictOutage({ settings: {}, eventsPerSecond, outageSeconds: OUTAGE, kubernetesVersion: '1.20' }).lost.median;
    expect(lost(14)).toBeLessThan(1600);
    expect(lost(40)).toBeGreaterThan(1600);
  });

  it('with 30 s timeouts instead of refused connections the same outage loses nothing: each batch then tries for 231 s or more', () => {
    expect(predictOutage({ settings: {}, eventsPerSecond: MEASURED_LOAD, outageSeconds: OUTAGE, failure: 'timeout', kubernetesVersion: '1.20' }).lost.max).toBe(0);
  });

  it('refuses impossible inputs', () => {
    expect(() => predictOutage({ settings: {}, eventsPerSecond: 0, outageSeconds: 10 })).toThrow(/eventsPerSecond/);
    expect(() => predictOutage({ settings: { mode: 'blocking' }, eventsPerSecond: 1, outageSeconds: 10 })).toThrow(/batch mode/);
  });
});
