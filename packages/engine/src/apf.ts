// API Priority and Fairness arithmetic: how the server's concurrency is split between priority
// levels, how much one flow can queue, and how likely shuffle sharding lets heavy flows starve a
// light one. Exact integer arithmetic (BigInt) keeps the probabilities accurate to the last bit.

/** Inputs of the server-wide concurrency limit. */
export interface InflightFlags {
  /** `--max-requests-inflight` (kube-apiserver default 400). */
  maxRequestsInflight?: number;
  /** `--max-mutating-requests-inflight` (kube-apiserver default 200). */
  maxMutatingRequestsInflight?: number;
}

/** kube-apiserver's default `--max-requests-inflight`. */
export const DEFAULT_MAX_REQUESTS_INFLIGHT = 400;
/** kube-apiserver's default `--max-mutating-requests-inflight`. */
export const DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT = 200;

/**
 * The total concurrency APF divides between priority levels: with APF on, the read-only and the
 * mutating in-flight limits are added together and the distinction between them disappears.
 */
export function serverConcurrencyLimit(flags: InflightFlags = {}): number {
  const readOnly = flags.maxRequestsInflight ?? DEFAULT_MAX_REQUESTS_INFLIGHT;
  const mutating = flags.maxMutatingRequestsInflight ?? DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT;
  requireInteger('maxRequestsInflight', readOnly, 0);
  requireInteger('maxMutatingRequestsInflight', mutating, 0);
  return readOnly + mutating;
}

/** One priority level and its concurrency shares (`assuredConcurrencyShares` / `nominalConcurrencyShares`). */
export interface PriorityLevelShares {
  name: string;
  shares: number;
}

/** A priority level's concurrency limit and the exact fraction it was rounded up from. */
export interface PriorityLevelLimit {
  name: string;
  shares: number;
  /** ceil(serverConcurrencyLimit × shares / Σ shares). */
  concurrencyLimit: number;
  /** serverConcurrencyLimit × shares / Σ shares before rounding up. */
  exactShare: number;
}

/**
 * Splits the server concurrency limit between priority levels in proportion to their shares,
 * rounding each level up as the apiserver does (so the limits may add up to slightly more than
 * the server limit). Exempt levels have no shares and must not be passed.
 */
export function priorityLevelLimits(
  serverLimit: number,
  levels: readonly PriorityLevelShares[],
): PriorityLevelLimit[] {
  requireInteger('serverLimit', serverLimit, 1);
  if (levels.length === 0) throw new RangeError('priorityLevelLimits needs at least one priority level');
  levels.forEach((level, index) => requireInteger(`levels[${index}].shares`, level.shares, 1));
  const total = levels.reduce((sum, level) => sum + level.shares, 0);
  return levels.map((level) => {
    // Integer ceiling division avoids float rounding pushing an exact quotient up by one.
    const numerator = BigInt(serverLimit) * BigInt(level.shares);
    const divisor = BigInt(total);
    const concurrencyLimit = Number((numerator + divisor - 1n) / divisor);
    return { name: level.name, shares: level.shares, concurrencyLimit, exactShare: (serverLimit * level.shares) / total };
  });
}

/** The most requests one flow can have waiting in a priority level's queues: handSize × queueLengthLimit. */
export function maxQueuedPerFlow(handSize: number, queueLengthLimit: number): number {
  requireInteger('handSize', handSize, 1);
  requireInteger('queueLengthLimit', queueLengthLimit, 1);
  return handSize * queueLengthLimit;
}

/** Shuffle-sharding parameters of one priority level. */
export interface ShuffleShardingQuestion {
  /** Queues each flow is dealt (`handSize`). */
  handSize: number;
  /** Queues of the priority level (`queues`). */
  queues: number;
  /** Heavy flows, each with its own independently dealt hand. */
  elephants: number;
}

/**
 * The probability that a light flow ("mouse") is crushed by `elephants` heavy flows: every queue
 * of the mouse's hand is also in at least one elephant's hand, so the mouse has no queue of its
 * own to escape to. By inclusion-exclusion over the mouse's queues that no elephant touches:
 *
 *   P = Σ_{j=0..H} (−1)^j · C(H, j) · (C(Q−j, H) / C(Q, H))^E
 *
 * computed over integers and divided once at the end, so the result is the correctly rounded
 * double of the exact rational.
 */
export function crushProbability(question: ShuffleShardingQuestion): number {
  const { handSize: h, queues: q, elephants: e } = question;
  requireInteger('handSize', h, 1);
  requireInteger('queues', q, 1);
  requireInteger('elephants', e, 0);
  if (h > q) throw new RangeError(`handSize ${h} is larger than queues ${q}; a hand is dealt from the queues, so use handSize <= queues`);
  const power = BigInt(e);
  let numerator = 0n;
  for (let j = 0; j <= h; j += 1) {
    const term = binomial(h, j) * binomial(q - j, h) ** power;
    numerator += j % 2 === 0 ? term : -term;
  }
  const denominator = binomial(q, h) ** power;
  return rationalToNumber(numerator, denominator);
}

/** C(n, k) as a BigInt (0 when k > n). */
export function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const kk = Math.min(k, n - k);
  let result = 1n;
  for (let i = 1; i <= kk; i += 1) {
    // Each partial product is itself a binomial coefficient, so the division is exact.
    result = (result * BigInt(n - kk + i)) / BigInt(i);
  }
  return result;
}

/** numerator / denominator (both non-negative) rounded to the nearest double. */
function rationalToNumber(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0;
  if (numerator < 0n) throw new RangeError('internal error: a probability came out negative');
  // Scale so the integer quotient carries 64 significant bits, convert once, then rescale by an
  // exact power of two. Number(bigint) rounds to nearest, so only the sub-ulp tail is lost.
  const shift = bitLength(denominator) - bitLength(numerator) + 64;
  const quotient = shift >= 0 ? (numerator << BigInt(shift)) / denominator : numerator / (denominator << BigInt(-shift));
  return Number(quotient) * 2 ** -shift;
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

/** One row of a crush-probability table: a hand/queue shape and the odds for each elephant count. */
export interface CrushTableRow {
  handSize: number;
  queues: number;
  /** The probability per elephant count, in the order the counts were asked for. */
  probabilities: Array<{ elephants: number; probability: number }>;
}

/** Crush probabilities for several shapes and elephant counts (the layout of the APF docs' table). */
export function crushTable(shapes: ReadonlyArray<{ handSize: number; queues: number }>, elephantCounts: readonly number[]): CrushTableRow[] {
  return shapes.map(({ handSize, queues }) => ({
    handSize,
    queues,
    probabilities: elephantCounts.map((elephants) => ({ elephants, probability: crushProbability({ handSize, queues, elephants }) })),
  }));
}

function requireInteger(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be an integer >= ${minimum}, got ${String(value)}`);
  }
}
