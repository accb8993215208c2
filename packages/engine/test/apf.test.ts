import { describe, expect, it } from 'vitest';
import {
  binomial,
  crushProbability,
  crushTable,
  maxQueuedPerFlow,
  priorityLevelLimits,
  serverConcurrencyLimit,
} from '../src/apf.js';

// The shuffle-sharding table of the APF docs (seeds-digest §3.12, APF-8), typed in from the digest:
// [handSize, queues, P(1 elephant), P(4 elephants), P(16 elephants)].
const docsTable: Array<[number, number, number, number, number]> = [
  [12, 32, 4.428838398950118e-9, 0.11431348830099144, 0.9935089607656024],
  [10, 32, 1.550093439632541e-8, 0.0626479840223545, 0.9753101519027554],
  [10, 64, 6.601827268370426e-12, 0.00045571320990370776, 0.49999929150089345],
  [9, 64, 3.6310049976037345e-11, 0.00045501212304112273, 0.4282314876454858],
  [8, 64, 2.25929199850899e-10, 0.0004886697053040446, 0.35935114681123076],
  [8, 128, 6.994461389026097e-13, 3.4055790161620863e-6, 0.02746173137155063],
  [7, 128, 1.0579122850901972e-11, 6.960839379258192e-6, 0.02406157386340147],
  [7, 256, 7.597695465552631e-14, 6.728547142019406e-8, 0.0006709661542533682],
  [6, 256, 2.7134626662687968e-12, 2.9516464018476436e-7, 0.0008895654642000348],
  [6, 512, 4.116062922897309e-14, 4.982983350480894e-9, 2.26025764343413e-5],
  [6, 1024, 6.337324016514285e-16, 8.09060164312957e-11, 4.517408062903668e-7],
];

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(tolerance);
}

describe('crushProbability', () => {
  it.each(docsTable)('handSize %i, queues %i matches every cell of the docs table to 1e-9', (handSize, queues, p1, p4, p16) => {
    expectRelative(crushProbability({ handSize, queues, elephants: 1 }), p1, 1e-9);
    expectRelative(crushProbability({ handSize, queues, elephants: 4 }), p4, 1e-9);
    expectRelative(crushProbability({ handSize, queues, elephants: 16 }), p16, 1e-9);
  });

  it('is 1 / C(Q, H) for a single elephant (it must deal exactly the mouse hand)', () => {
    expect(crushProbability({ handSize: 12, queues: 32, elephants: 1 })).toBe(1 / 225792840);
  });

  it('is 0 without elephants and 1 when one hand covers every queue', () => {
    expect(crushProbability({ handSize: 8, queues: 64, elephants: 0 })).toBe(0);
    expect(crushProbability({ handSize: 4, queues: 4, elephants: 1 })).toBe(1);
  });

  it('grows with the number of elephants', () => {
    const odds = [1, 2, 4, 8, 16, 32].map((elephants) => crushProbability({ handSize: 8, queues: 64, elephants }));
    for (let i = 1; i < odds.length; i += 1) expect(odds[i]).toBeGreaterThan(odds[i - 1]!);
  });

  it('agrees with a Monte Carlo estimate for a small shape', () => {
    // Deterministic LCG so the check is reproducible.
    let state = 12345;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const deal = (queues: number, hand: number): Set<number> => {
      const cards = new Set<number>();
      while (cards.size < hand) cards.add(Math.floor(next() * queues));
      return cards;
    };
    const trials = 20000;
    let crushed = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      const mouse = deal(8, 3);
      const covered = new Set<number>();
      for (let e = 0; e < 3; e += 1) for (const card of deal(8, 3)) covered.add(card);
      if ([...mouse].every((card) => covered.has(card))) crushed += 1;
    }
    const exact = crushProbability({ handSize: 3, queues: 8, elephants: 3 });
    expect(Math.abs(crushed / trials - exact)).toBeLessThan(0.015);
  });

  it('rejects a hand larger than the deck, naming the fix', () => {
    expect(() => crushProbability({ handSize: 9, queues: 8, elephants: 1 })).toThrow(/handSize <= queues/);
    expect(() => crushProbability({ handSize: 2.5, queues: 8, elephants: 1 })).toThrow(/integer/);
  });

  it('crushTable lays results out per shape and elephant count', () => {
    const table = crushTable([{ handSize: 8, queues: 64 }], [1, 4]);
    expect(table).toHaveLength(1);
    expectRelative(table[0]!.probabilities[1]!.probability, 0.0004886697053040446, 1e-9);
    expect(table[0]!.probabilities.map((p) => p.elephants)).toEqual([1, 4]);
  });
});

describe('binomial', () => {
  it('matches known coefficients', () => {
    expect(binomial(32, 12)).toBe(225792840n);
    expect(binomial(5, 0)).toBe(1n);
    expect(binomial(5, 6)).toBe(0n);
  });
});

describe('concurrency limits', () => {
  it('adds both in-flight flags (defaults 400 + 200)', () => {
    expect(serverConcurrencyLimit()).toBe(600);
    expect(serverConcurrencyLimit({ maxRequestsInflight: 800, maxMutatingRequestsInflight: 400 })).toBe(1200);
  });

  it('rounds each level up from SCL × shares / Σ shares (global-default gets 49 of 600)', () => {
    const levels = [
      { name: 'system', shares: 30 },
      { name: 'node-high', shares: 40 },
      { name: 'leader-election', shares: 10 },
      { name: 'workload-high', shares: 40 },
      { name: 'workload-low', shares: 100 },
      { name: 'global-default', shares: 20 },
      { name: 'catch-all', shares: 5 },
    ];
    const limits = priorityLevelLimits(600, levels);
    expect(limits.find((l) => l.name === 'global-default')!.concurrencyLimit).toBe(49);
    expect(limits.find((l) => l.name === 'catch-all')!.concurrencyLimit).toBe(13); // 600*5/245 = 12.24
    expect(limits.find((l) => l.name === 'workload-low')!.concurrencyLimit).toBe(245); // 244.9
  });

  it('does not round an exact quotient up', () => {
    expect(priorityLevelLimits(100, [{ name: 'a', shares: 1 }, { name: 'b', shares: 3 }]).map((l) => l.concurrencyLimit)).toEqual([25, 75]);
  });

  it('maxQueuedPerFlow is handSize × queueLengthLimit', () => {
    expect(maxQueuedPerFlow(6, 50)).toBe(300);
  });
});
