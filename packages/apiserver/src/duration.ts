/**
 * The one Go-duration codec of k8s-gen. kube-apiserver reads every duration flag with Go's
 * `time.ParseDuration` into a `time.Duration`, an int64 count of nanoseconds, so this codec works
 * in integer nanoseconds as well: parsing gives the exact value Go computes (same accepted forms,
 * same truncation of long fractions, same overflow limit), comparisons are exact (`0s` is 0, not
 * 1e-17), and formatting reproduces `Duration.String()`, the form the apiserver prints its
 * defaults in (`30s`, `1m30s`). Seconds as a float would make `100ms` inexact and `1ns` vanish.
 *
 * JavaScript numbers hold integers exactly up to 2^53 ns (about 104 days); longer durations, which
 * no audit setting wants, are parsed to the nearest representable number.
 */
import type { Problem } from '@k8s-gen/runtime';

/** Nanoseconds in one second. */
export const NANOSECONDS_PER_SECOND = 1e9;

const UNIT_NANOSECONDS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  '\u00b5s': 1_000n, // MICRO SIGN, as Go writes it
  '\u03bcs': 1_000n, // GREEK SMALL LETTER MU, which Go also accepts
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;
const LIMIT = 1n << 63n;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Reads a Go duration (`10s`, `1m30s`, `1.5h`, `250ms`, `-2s`, `0`) as nanoseconds, the way
 * `time.ParseDuration` does; `undefined` when Go would refuse it (`10`, `1 s`, `1sec`, `""`).
 *
 * @example
 * ```ts
 * parseGoDuration('1m30s'); // 90_000_000_000
 * parseGoDuration('10');    // undefined: Go needs a unit
 * ```
 */
export function parseGoDuration(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    if (!(rest.startsWith('.') || isDigit(rest[0]))) return undefined;
    // The whole part.
    let i = 0;
    let whole = 0n;
    while (isDigit(rest[i])) {
      whole = whole * 10n + BigInt(rest.charCodeAt(i) - 48);
      if (whole > LIMIT) return undefined; // overflow, as Go reports it
      i += 1;
    }
    const hasWhole = i > 0;
    rest = rest.slice(i);
    // The fraction: digits past what fits are ignored, as Go's leadingFraction does.
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(rest[j])) {
        if (!overflow) {
          const next = fraction * 10n + BigInt(rest.charCodeAt(j) - 48);
          if (fraction > MAX_INT64 / 10n || next > LIMIT) overflow = true;
          else {
            fraction = next;
            scale *= 10;
          }
        }
        j += 1;
      }
      hasFraction = j > 0;
      rest = rest.slice(j);
    }
    if (!hasWhole && !hasFraction) return undefined;
    // The unit: everything up to the next number.
    let k = 0;
    while (k < rest.length && !(rest[k] === '.' || isDigit(rest[k]))) k += 1;
    if (k === 0) return undefined;
    const unit = UNIT_NANOSECONDS[rest.slice(0, k)];
    rest = rest.slice(k);
    if (unit === undefined) return undefined;
    if (whole > LIMIT / unit) return undefined;
    let value = whole * unit;
    if (fraction > 0n) {
      // Go computes the fraction's share in float64 and truncates it.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > LIMIT) return undefined;
    }
    total += value;
    if (total > LIMIT) return undefined;
  }
  if (!negative && total > MAX_INT64) return undefined;
  const nanoseconds = Number(total);
  return negative && nanoseconds !== 0 ? -nanoseconds : nanoseconds;
}

/** Writes `value` below `10^digits` as a fraction without trailing zeros (`.5`), or nothing when it is 0. */
function fraction(value: bigint, digits: number): string {
  if (value === 0n) return '';
  return `.${value.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/**
 * Writes nanoseconds as Go's `Duration.String()` does (`0s`, `250ms`, `1.5s`, `1m30s`,
 * `2h0m0s`), except that microseconds are written `us`, so flag files stay ASCII.
 *
 * @throws RangeError when `nanoseconds` is not a safe integer.
 * @example
 * ```ts
 * formatGoDuration(90 * NANOSECONDS_PER_SECOND); // '1m30s'
 * formatGoDuration(250_000_000);                 // '250ms'
 * ```
 */
export function formatGoDuration(nanoseconds: number): string {
  if (!Number.isSafeInteger(nanoseconds)) throw new RangeError(`a Go duration is a whole number of nanoseconds, got ${String(nanoseconds)}`);
  const negative = nanoseconds < 0;
  const u = BigInt(Math.abs(nanoseconds));
  let text: string;
  if (u === 0n) text = '0s';
  else if (u < 1_000n) text = `${u}ns`;
  else if (u < 1_000_000n) text = `${u / 1_000n}${fraction(u % 1_000n, 3)}us`;
  else if (u < 1_000_000_000n) text = `${u / 1_000_000n}${fraction(u % 1_000_000n, 6)}ms`;
  else {
    const seconds = `${(u / 1_000_000_000n) % 60n}${fraction(u % 1_000_000_000n, 9)}s`;
    const minutes = u / 60_000_000_000n;
    const hours = minutes / 60n;
    text = minutes === 0n ? seconds : hours === 0n ? `${minutes}m${seconds}` : `${hours}h${minutes % 60n}m${seconds}`;
  }
  return negative ? `-${text}` : text;
}

/**
 * A Go duration in seconds, for arithmetic that works in seconds (the batch simulation, tuning).
 *
 * @example
 * ```ts
 * goDurationSeconds('1m30s'); // 90
 * ```
 */
export function goDurationSeconds(text: string): number | undefined {
  const nanoseconds = parseGoDuration(text);
  return nanoseconds === undefined ? undefined : nanoseconds / NANOSECONDS_PER_SECOND;
}

/**
 * Seconds as a Go duration, rounded to the nanosecond.
 *
 * @throws RangeError when `seconds` is not finite.
 * @example
 * ```ts
 * goDurationFromSeconds(27.5); // '27.5s'
 * ```
 */
export function goDurationFromSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`a duration must be a finite number of seconds, got ${String(seconds)}`);
  return formatGoDuration(Math.round(seconds * NANOSECONDS_PER_SECOND));
}

/**
 * Checks an option that takes a Go duration; a Problem at `option` when Go would refuse it.
 *
 * @example
 * ```ts
 * checkGoDuration('30', 'webhook.initialBackoff')?.code; // 'flag-not-duration'
 * ```
 */
export function checkGoDuration(value: unknown, option: string): Problem | undefined {
  if (typeof value === 'string' && parseGoDuration(value) !== undefined) return undefined;
  return {
    severity: 'error',
    code: 'flag-not-duration',
    path: option,
    message: `${option} takes a Go duration such as 30s or 1m30s, got ${JSON.stringify(value) ?? String(value)}`,
    fix: `write ${option} as a Go duration: a number with a unit (ns, us, ms, s, m, h), e.g. '10s'`,
  };
}
