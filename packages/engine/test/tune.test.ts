import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Policy } from '@k8s-gen/audit';
import { resourceRequest } from '../src/request.js';
import { simulate } from '../src/simulate.js';
import { renderTuneReport, tune } from '../src/tune.js';
import { effectiveBackendSettings, goDurationSeconds, retryWindow, type DeliverySettings } from '@k8s-gen/apiserver';
import { NEWEST_KUBERNETES_VERSION } from '@k8s-gen/runtime';
import { reviewAuditFlags } from '../src/tune.js';

/** The effective numbers of a recommendation, for assertions. */
const numbers = (result: ReturnType<typeof tune>) => {
  const effective = effectiveBackendSettings(result.backend, result.settings);
  return { ...effective.batch, maxWaitSeconds: goDurationSeconds(effective.batch.maxWait)!, initialBackoffSeconds: goDurationSeconds(effective.initialBackoff)! };
};

const step = (result: ReturnType<typeof tune>, id: string) => {
  const found = result.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};

describe('tune: the docs worked example', () => {
  // 100 requests/s, two audited stages, 100 events per batch, a backend that may take 5 s.
  const example = { requestsPerSecond: 100, stagesPerRequest: 2, eventsPerBatch: 100, backendLatency: 5 } as const;

  it('reproduces the docs figures with headroom 1: 200 events/s, throttle 2 QPS, buffer 1000 events = 10 batches', () => {
    const result = tune({ ...example, backend: 'log', headroom: 1 });
    expect(result.eventsPerSecond).toBe(200);
    expect(step(result, 'throttle').values.minimumThrottleQPS).toBe(2);
    expect(numbers(result).throttleQps).toBe(2);
    expect(step(result, 'docs-buffer').values).toMatchObject({ docsBufferEvents: 1000, docsBufferBatches: 10 });
    expect(numbers(result).bufferSize).toBe(1000);
    expect(numbers(result).maxSize).toBe(100);
    expect(result.flags).toEqual(
      expect.arrayContaining([
        '--audit-log-mode=batch',
        '--audit-log-batch-buffer-size=1000',
        '--audit-log-batch-max-size=100',
        '--audit-log-batch-throttle-enable=true',
        '--audit-log-batch-throttle-qps=2',
      ]),
    );
    // The bare docs figures leave nothing to drain a backlog with; the tuner says so.
    expect(result.caveats.map((c) => c.code)).toContain('no-drain-headroom');
    expect(result.caveats.map((c) => c.code)).toContain('response-started-is-rare');
  });

  it('never emits max-wait 0 with batches and explains every number in the text', () => {
    const result = tune({ ...example, backend: 'log' });
    expect(numbers(result).maxWaitSeconds).toBeGreaterThan(0);
    expect(result.flags).toContain(`--audit-log-batch-max-wait=${result.settings.batch!.maxWait}`);
    const report = renderTuneReport(result);
    expect(report).toContain('200 events/s');
    expect(report).toContain('--audit-log-batch-buffer-size=');
    expect(result.caveats.map((c) => c.code)).not.toContain('busy-loop');
  });

  /** Two 5 s stalls of the log writer, 40 s apart, under the load the tuner was given. */
  const twoLogStalls = (result: ReturnType<typeof tune>) =>
    simulate({
      backend: 'log',
      settings: result.settings,
      load: result.eventsPerSecond,
      backendLatency: 0.05,
      outages: [{ start: 20, end: 25 }, { start: 60, end: 65 }],
      duration: 120,
    });

  it('log recommendation rides out the 5 s stall with zero drops in the simulation', () => {
    const result = tune({ ...example, backend: 'log' });
    expect(numbers(result).bufferSize).toBeGreaterThanOrEqual(1000);
    const run = twoLogStalls(result);
    expect(run.dropped.total).toBe(0);
    expect(run.generated).toBeGreaterThan(23000);
    // While the writer stalls, the buffer really holds about 5 s of events.
    expect(run.maxBufferOccupancy).toBeGreaterThan(900);
    expect(run.maxBufferOccupancy).toBeLessThanOrEqual(numbers(result).bufferSize);
  });

  it('the bare docs figures (headroom 1) do drop on a second stall: the backlog never drains', () => {
    const result = tune({ ...example, backend: 'log', headroom: 1 });
    const run = twoLogStalls(result);
    expect(run.dropped.buffered).toBeGreaterThan(0);
  });

  it('webhook: a 5 s receiver fills goroutines, not the buffer, and the recommendation drops nothing', () => {
    const result = tune({ ...example, backend: 'webhook' });
    // Sized for the throttle wait and a 5 s burst reserve, not for the receiver's latency.
    expect(step(result, 'buffer').values).toMatchObject({ burstReserveEvents: 1000 });
    expect(numbers(result).bufferSize).toBe(1500);
    expect(result.estimates.inFlightBatches).toBeCloseTo(10, 6);
    expect(result.flags).toContain('--audit-webhook-truncate-enabled=true');
    const run = simulate({ backend: 'webhook', settings: result.settings, load: 200, backendLatency: 5, duration: 120 });
    expect(run.dropped.total).toBe(0);
    expect(run.maxInFlightBatches).toBeGreaterThanOrEqual(9);
    expect(run.maxInFlightBatches).toBeLessThanOrEqual(11);
    expect(run.maxBufferOccupancy).toBeLessThanOrEqual(numbers(result).bufferSize);
  });
});

describe('tune: beyond the docs', () => {
  it('webhook outage: raises the initial backoff so the retry window outlasts it, and the simulation loses nothing', () => {
    const result = tune({ requestsPerSecond: 500, stagesPerRequest: 1, backendLatency: 0.2, outage: 120, backend: 'webhook', averageEventBytes: 2000 });
    const window = result.estimates.retryWindow!;
    expect(window.fastFailMin).toBeGreaterThanOrEqual(120 * 1.5);
    expect(result.flags).toContain(`--audit-webhook-initial-backoff=${result.settings.initialBackoff}`);
    expect(result.estimates.outageInFlightEvents).toBe(500 * 120);
    for (const outageFailure of ['refused', 'timeout'] as const) {
      const run = simulate({ backend: 'webhook', settings: result.settings, load: 500, backendLatency: 0.2, outages: [{ start: 30, end: 150 }], outageFailure, duration: 400, seed: 7 });
      expect(run.dropped.total).toBe(0);
      // The goroutines, not the buffer, hold the outage's events.
      expect(run.maxInFlightEvents).toBeGreaterThan(500 * 100);
      expect(run.maxBufferOccupancy).toBeLessThanOrEqual(numbers(result).bufferSize);
    }
    // With the default 10 s backoff the same outage loses events (plugin webhook), and the buffer never overflows.
    const defaults: DeliverySettings = { ...result.settings, initialBackoff: '10s' };
    const lossy = simulate({ backend: 'webhook', settings: defaults, load: 500, backendLatency: 0.2, outages: [{ start: 30, end: 150 }], outageFailure: 'refused', duration: 400, seed: 7 });
    expect(lossy.dropped.webhook).toBeGreaterThan(0);
    expect(lossy.dropped.buffered).toBe(0);
  });

  it('sizes the buffer for a peak and the simulation of that peak drops nothing', () => {
    const input = { requestsPerSecond: 1000, stagesPerRequest: 1, eventsPerBatch: 400, backendLatency: 0.5, backend: 'webhook', peak: { factor: 4, seconds: 20 } } as const;
    const result = tune(input);
    expect(step(result, 'peak').values.peakBufferEvents).toBeGreaterThan(0);
    const run = simulate({
      backend: 'webhook',
      settings: result.settings,
      load: [
        { from: 0, eventsPerSecond: 1000 },
        { from: 60, eventsPerSecond: 4000 },
        { from: 80, eventsPerSecond: 1000 },
      ],
      backendLatency: 0.5,
      duration: 200,
    });
    expect(run.dropped.total).toBe(0);
    expect(run.maxBufferOccupancy).toBeGreaterThan(1000);
  });

  it('counts stages per request by evaluating a policy on a traffic mix', () => {
    const policy: Policy = {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [{ level: 'None', resources: [{ group: '', resources: ['events'] }] }, { level: 'Metadata' }],
    };
    const user = { name: 'alice', groups: ['system:authenticated'] };
    const result = tune({
      requestsPerSecond: 100,
      policy,
      traffic: [
        { request: resourceRequest({ user, verb: 'get', resource: 'pods', namespace: 'a', name: 'x' }), weight: 2 }, // 1 stage
        { request: resourceRequest({ user, verb: 'watch', resource: 'pods', namespace: 'a' }), weight: 1 }, // ResponseStarted + ResponseComplete
        { request: resourceRequest({ user, verb: 'create', resource: 'events', namespace: 'a' }), weight: 1 }, // None
      ],
      backendLatency: 1,
      backend: 'webhook',
    });
    expect(step(result, 'events-per-second').values.stagesPerRequest).toBe((2 * 1 + 1 * 2 + 0) / 4);
    expect(result.eventsPerSecond).toBe(100);
  });

  it('keeps the throttle at 1 QPS or more for a trickle of events, and batches then leave by max-wait', () => {
    const result = tune({ requestsPerSecond: 0.5, stagesPerRequest: 1, backendLatency: 1, backend: 'webhook' });
    expect(numbers(result).throttleQps).toBe(1);
    expect(numbers(result).maxWaitSeconds).toBe(30);
    expect(result.caveats.map((c) => c.code)).toContain('batches-never-fill');
    const run = simulate({ backend: 'webhook', settings: result.settings, load: 0.5, backendLatency: 1, duration: 600 });
    expect(run.dropped.total).toBe(0);
    expect(run.latency.max).toBeLessThanOrEqual(result.estimates.maxAddedLatency + 1 + 1e-9);
  });

  it('rejects contradictory or impossible input with the field name', () => {
    expect(() => tune({ requestsPerSecond: 10, backendLatency: 1, backend: 'log' })).toThrow(/stagesPerRequest/);
    expect(() => tune({ requestsPerSecond: -1, stagesPerRequest: 1, backendLatency: 1, backend: 'log' })).toThrow(/requestsPerSecond/);
    expect(() => tune({ requestsPerSecond: 10, stagesPerRequest: 1, eventsPerBatch: 0, backendLatency: 1, backend: 'log' })).toThrow(/eventsPerBatch/);
  });

  it('writes flags for audit.k8s.io/v1 releases, the newest by default', () => {
    const input = { requestsPerSecond: 10, stagesPerRequest: 1, backendLatency: 1, backend: 'log' } as const;
    expect(() => tune({ ...input, kubernetesVersion: '1.9' })).toThrow(/--kubernetes-version.*1\.12/);
    expect(tune(input)).toEqual(tune({ ...input, kubernetesVersion: NEWEST_KUBERNETES_VERSION }));
  });
});

describe('simulate: the real backend behaviour', () => {
  const webhookDefaults: DeliverySettings = {};

  it('webhook defaults pass 3000 events/s and drop at 6000 (ceiling 10 QPS × 400 = 4000)', () => {
    const fine = simulate({ backend: 'webhook', settings: webhookDefaults, load: 3000, backendLatency: 0.1, duration: 60 });
    expect(fine.dropped.total).toBe(0);
    const over = simulate({ backend: 'webhook', settings: webhookDefaults, load: 6000, backendLatency: 0.1, duration: 60 });
    expect(over.dropped.buffered).toBeGreaterThan(0);
    expect(over.dropped.webhook).toBe(0);
    // Relation 5: overflow after about (buffer + burst × batch) / (load − ceiling) = 16000 / 2000 = 8 s.
    expect(over.firstDropAt!).toBeGreaterThan(6);
    expect(over.firstDropAt!).toBeLessThan(12);
    // From then on the excess 2000 events/s is lost.
    const expectedLoss = 2000 * (60 - over.firstDropAt!);
    expect(Math.abs(over.dropped.buffered - expectedLoss) / expectedLoss).toBeLessThan(0.05);
    expect(over.generated).toBe(over.delivered + over.dropped.total + over.pending);
  });

  it('log backend in batch mode with defaults (max-size 1, no timer) is limited by write time', () => {
    const settings: DeliverySettings = { mode: 'batch' };
    const ok = simulate({ backend: 'log', settings, load: 500, backendLatency: 0.001, duration: 30 });
    expect(ok.dropped.total).toBe(0);
    expect(ok.batches.delivered).toBe(ok.delivered); // one event per batch
    const slow = simulate({ backend: 'log', settings, load: 2000, backendLatency: 0.001, duration: 30 });
    expect(slow.dropped.buffered).toBeGreaterThan(0);
  });

  it('max-wait bounds the delay of a lone event: batches leave when the timer fires', () => {
    const run = simulate({ backend: 'webhook', settings: webhookDefaults, load: 1, backendLatency: 0.01, duration: 300 });
    expect(run.batches.delivered).toBeGreaterThan(8);
    expect(run.latency.max).toBeLessThanOrEqual(30.01 + 1e-9);
    expect(run.latency.max).toBeGreaterThan(28);
    expect(run.latency.p50).toBeGreaterThan(10);
  });

  it('flags and models the spinning loop of max-size > 1 with max-wait 0', () => {
    const settings: DeliverySettings = { mode: 'batch', batch: { maxSize: 100 } };
    const run = simulate({ backend: 'log', settings, load: 100, backendLatency: 0.001, duration: 10 });
    expect(run.busyLoop).toBe(true);
    expect(run.batches.delivered).toBe(run.delivered); // batches of one event
    const review = reviewAuditFlags(['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/a.log', '--audit-log-mode=batch', '--audit-log-batch-max-size=100']);
    expect(review.findings.find((c) => c.code === 'batch-busy-loop')).toMatchObject({ severity: 'error', flag: 'audit-log-batch-max-wait' });
  });

  it('a webhook batch gives up after 5 attempts when an outage outlasts the retry window', () => {
    const settings: DeliverySettings = { batch: { maxSize: 10 } };
    const run = simulate({ backend: 'webhook', settings, load: 10, backendLatency: 0.01, outages: [{ start: 0, end: 1000 }], outageFailure: 'refused', duration: 200 });
    expect(run.delivered).toBe(0);
    expect(run.dropped.webhook).toBeGreaterThan(0);
    expect(run.batches.attempts).toBeGreaterThanOrEqual(run.batches.failed * 5);
    // The first batch is lost 8.125–9.75 × 10 s after it was sent.
    const window = retryWindow(10);
    expect(run.firstDropAt!).toBeGreaterThanOrEqual(window.fastFailMin);
    expect(run.firstDropAt!).toBeLessThanOrEqual(window.sleepMax + 2);
    expect(run.dropped.buffered).toBe(0);
  });

  it('with 30 s timeouts the retry window stretches to 5 × 30 s + sleeps', () => {
    const settings: DeliverySettings = { batch: { maxSize: 10 } };
    const run = simulate({ backend: 'webhook', settings, load: 10, backendLatency: 0.01, outages: [{ start: 0, end: 1000 }], duration: 400 });
    const window = retryWindow(10);
    expect(run.firstDropAt!).toBeGreaterThanOrEqual(150 + window.fastFailMin);
    expect(run.firstDropAt!).toBeLessThanOrEqual(window.worstCase + 2);
  });

  it('is deterministic for a seed, including Poisson arrivals and jitter', () => {
    const input = { backend: 'webhook' as const, settings: webhookDefaults, load: 5000, arrivals: 'poisson' as const, backendLatency: 0.1, outages: [{ start: 5, end: 40 }], duration: 120, seed: 42 };
    expect(simulate(input)).toEqual(simulate(input));
    expect(simulate({ ...input, seed: 43 })).not.toEqual(simulate(input));
  });

  it('refuses modes that do not use the buffer, and impossible loads', () => {
    expect(() => simulate({ backend: 'log', settings: {}, load: 1, backendLatency: 0, duration: 1 })).toThrow(/batch mode/);
    expect(() => simulate({ backend: 'webhook', settings: webhookDefaults, load: [{ from: 0, eventsPerSecond: -5 }], backendLatency: 0, duration: 1 })).toThrow(/load\[0\]\.eventsPerSecond/);
  });
});

describe('reviewing flags in use', () => {
  const base = ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml'];

  it('reads them as the apiserver does and names the flag of every finding', () => {
    const review = reviewAuditFlags([...base, '--audit-log-path=/var/log/audit.log', '--audit-log-mode=batch', '--audit-log-batch-max-size', '100', '--audit-webhook-config-file=/etc/kubernetes/w', '--audit-webhook-mode=blocking', '--audit-webhook-batch-max-wait=bogus'], { kubernetesVersion: '1.30' });
    expect(review.settings.log).toEqual({ path: '/var/log/audit.log', mode: 'batch', batch: { maxSize: 100 } });
    expect(review.findings.map((f) => [f.severity, f.code, f.flag])).toEqual([
      ['error', 'invalid-flag-value', 'audit-webhook-batch-max-wait'],
      ['error', 'batch-busy-loop', 'audit-log-batch-max-wait'],
      ['warning', 'blocking-webhook', 'audit-webhook-mode'],
    ]);
  });

  it('reports the uncapped POST size of the defaults', () => {
    const capped = reviewAuditFlags([...base, '--audit-webhook-config-file=/etc/kubernetes/w', '--audit-webhook-truncate-enabled']).findings.find((c) => c.code === 'post-size');
    expect(capped?.message).toContain('400 × 102400 B');
    expect(capped?.message).toContain('39.1 MiB');
  });

  it('reports the union backend trap of the release', () => {
    const both = [...base, '--audit-log-path=/var/log/audit.log', '--audit-log-mode=batch', '--audit-webhook-config-file=/etc/kubernetes/w'];
    expect(reviewAuditFlags(both, { kubernetesVersion: '1.20.2' }).findings.map((f) => f.code)).toEqual(['union-log-never-started', 'union-shutdown-panic', 'post-size']);
    expect(reviewAuditFlags(both, { kubernetesVersion: '1.30' }).findings.map((f) => f.code)).toEqual(['post-size']);
  });

  it('warns when tuning one backend into batch mode on a release with the trap', () => {
    const log = tune({ requestsPerSecond: 100, stagesPerRequest: 1, backendLatency: 0.1, backend: 'log', kubernetesVersion: '1.20' });
    expect(log.caveats.find((c) => c.code === 'union-log-never-started')).toMatchObject({ severity: 'warning', message: expect.stringContaining('if the webhook backend is enabled too') });
    expect(tune({ requestsPerSecond: 100, stagesPerRequest: 1, backendLatency: 0.1, backend: 'log' }).caveats.map((c) => c.code)).not.toContain('union-log-never-started');
  });
});

describe('tune tells the truth', () => {
  const inputs = [
    { requestsPerSecond: 100, stagesPerRequest: 2, eventsPerBatch: 100, backendLatency: 5, backend: 'webhook' as const, headroom: 1 },
    { requestsPerSecond: 33.3333, stagesPerRequest: 2, backendLatency: 3, backend: 'log' as const, outage: 7 },
    { requestsPerSecond: 66.667, stagesPerRequest: 1, eventsPerBatch: 7, backendLatency: 1.5, backend: 'webhook' as const, outage: 20, peak: { factor: 2.5, seconds: 7 } },
  ];
  const texts = (result: ReturnType<typeof tune>) => [...result.steps.map((s) => s.text), ...result.caveats.flatMap((c) => [c.message, c.fix ?? ''])].join('\n');

  it('states the retry schedule once, as the apiserver runs it and the backends guide says: 5 attempts, 4 sleeps', () => {
    const result = tune(inputs[0]!);
    expect(step(result, 'retry-window').text).toContain('5 attempts with 4 sleeps between them: 10 s, 15 s, 22.5 s and 33.75 s');
    expect(texts(result)).not.toMatch(/retried 5 times/);
    const guide = readFileSync(new URL('../../../docs/guide/backends.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    expect(guide).toContain('5 attempts with 4 sleeps between them: 10 s, 15 s, 22.5 s and 33.75 s');
  });

  it('names inputs as the CLI spells them', () => {
    for (const input of [...inputs, { ...inputs[1]!, averageEventBytes: undefined }]) {
      const text = texts(tune(input));
      expect(text).not.toMatch(/\b(averageEventBytes|eventsPerBatch|requestsPerSecond|backendLatency|stagesPerRequest)\b/);
    }
    expect(step(tune(inputs[1]!), 'memory').text).toContain('--event-bytes');
    expect(() => tune({ ...inputs[0]!, averageEventBytes: -1 })).toThrow('averageEventBytes (--event-bytes)');
  });

  it('counts events in whole numbers', () => {
    for (const input of inputs) {
      const result = tune(input);
      expect(texts(result)).not.toMatch(/\d\.\d+(?:-event\b| events\b(?!\/s))/);
      for (const s of result.steps) for (const [key, value] of Object.entries(s.values)) if (/Events$/.test(key)) expect(Number.isInteger(value), key).toBe(true);
    }
  });
});
