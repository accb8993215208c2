// Shared by the fluentd and logstash injection properties: every hostile input must either be
// refused with the typed error naming its field, or be written so that it parses back unchanged.
import { expect } from 'vitest';
import { CollectorConfigError } from '../../src/collectors/index.js';

/** The text as it reads back from a UTF-8 file. */
export const viaUtf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/** How many property cases were written and how many refused, to show both paths ran. */
export const outcomes = { written: 0, refused: 0 };

/** Calls `build`, and when it throws, checks the error is the typed one naming `field`. */
export function writeOrTypedError(build: () => string, field: string | RegExp): string | undefined {
  try {
    const text = build();
    outcomes.written++;
    return text;
  } catch (error) {
    outcomes.refused++;
    expect(error).toBeInstanceOf(CollectorConfigError);
    const typed = error as CollectorConfigError;
    if (typeof field === 'string') expect(typed.path).toContain(field);
    else expect(typed.path).toMatch(field);
    expect(typed.fix.length).toBeGreaterThan(0);
    return undefined;
  }
}
