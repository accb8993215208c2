// Option parsers shared by the numeric commands: they turn bad values into commander usage errors.
import { InvalidArgumentError } from 'commander';

/** Parses a finite number >= 0 (`--latency 2.5`). */
export function nonNegativeNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) throw new InvalidArgumentError(`"${value}" is not a number >= 0.`);
  return number;
}

/** Parses a finite number > 0. */
export function positiveNumber(value: string): number {
  const number = nonNegativeNumber(value);
  if (number === 0) throw new InvalidArgumentError(`"${value}" must be greater than 0.`);
  return number;
}

/** Parses an integer >= 1. */
export function positiveInteger(value: string): number {
  const number = positiveNumber(value);
  if (!Number.isInteger(number)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return number;
}

/** Parses `text` or `json` for `--format`. */
export function outputFormat(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError(`"${value}" is not a format; use text or json.`);
  return value;
}
