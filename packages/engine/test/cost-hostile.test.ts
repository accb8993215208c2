// costReplay and its line reader on hostile logs (test/hostile/cost.ts): lines far longer than
// any real one, events of the wrong shape, bodies nested deeper than JSON.stringify can go, and
// gzip files cut short or corrupted. None of them may abort the replay; memory stays bounded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Policy } from '@k8s-gen/audit';
import { costReplay } from '../src/cost.js';
import { readLogLines, splitLines, type LogReadStatus } from '../src/cost-input.js';
import { COST_CASES, deeplyNestedLines, LENIENT_JSON, logText, longEventLine, oneHugeLine, ordinaryLines, WRONG_SHAPES } from '../../../test/hostile/engine/cost.js';

const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-cost-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const policyOf = (rules: Policy['rules'], extra: Partial<Policy> = {}): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ...extra, rules });
const metadata = policyOf([{ level: 'Metadata' }]);
const write = (name: string, bytes: Buffer | string): string => {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  return file;
};
const hostile = (name: string): string => {
  const found = COST_CASES.find((entry) => entry.name === name)!;
  const { fileName, bytes } = found.generate();
  return write(fileName, bytes);
};
const lineBytes = (lines: readonly string[]): number => lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);

/** Counts the bytes Buffer.concat and Buffer.from(buffer) produce, the copies a line splitter makes. */
function countCopies(): { bytes: number } {
  const copied = { bytes: 0 };
  const concat = Buffer.concat.bind(Buffer);
  vi.spyOn(Buffer, 'concat').mockImplementation((list, length) => {
    const out = concat(list, length);
    copied.bytes += out.length;
    return out;
  });
  const from = Buffer.from.bind(Buffer) as (...args: unknown[]) => Buffer;
  vi.spyOn(Buffer, 'from').mockImplementation(((...args: unknown[]) => {
    const out = from(...args);
    if (Buffer.isBuffer(args[0])) copied.bytes += out.length;
    return out;
  }) as typeof Buffer.from);
  return copied;
}

describe('long lines', () => {
  it('reads a 12 MiB line of gzip input copying each byte a bounded number of times (it was quadratic)', async () => {
    const file = hostile('cost/gz-long-line-12mib');
    const long = longEventLine(3, 12 << 20);
    const copied = countCopies();
    // The candidate keeps each event at its own level, so nothing is estimated.
    const report = await costReplay({ policy: policyOf([{ level: 'Request', verbs: ['create'] }, { level: 'Metadata' }], { omitStages: ['RequestReceived'] }), log: file });
    vi.restoreAllMocks();
    expect(report.input).toMatchObject({ lines: 7, events: 7, badLines: 0 });
    // Through a policy at the log's own levels, the totals are the lines' exact lengths.
    expect(report.candidate.bytes).toBe(lineBytes([...ordinaryLines(3), long, ...ordinaryLines(3, 4)]));
    // Each byte of the long line is copied at most twice (into the line's pieces, then joined).
    expect(copied.bytes).toBeLessThan(3 * Buffer.byteLength(long));
  });

  it('counts a 40 MiB line of gzip input as a bad line with its audit ID, and keeps going', async () => {
    const file = hostile('cost/gz-line-over-limit-40mib');
    const report = await costReplay({ policy: metadata, log: file });
    expect(report.input).toMatchObject({ lines: 7, events: 6, badLines: 1 });
    const sample = report.input.badLineSamples[0]!;
    expect(sample.line).toBe(4);
    expect(sample.message).toMatch(/the line is \d+ bytes, over the limit of 16777216 \(maxLineBytes, --max-line-bytes\)/);
    expect(sample.message).toContain('auditID 00000000-0000-4000-8000-000000000003');
    expect(sample.message).not.toContain('xxxx');
    expect(report.log.bytes).toBe(lineBytes([...ordinaryLines(3), ...ordinaryLines(3, 4)]));
  });

  it('never holds more of an overlong line than the limit plus one chunk', async () => {
    const status: LogReadStatus = { peakLineBufferBytes: 0 };
    const lines = [];
    for await (const line of readLogLines(hostile('cost/gz-line-over-limit-40mib'), { status })) lines.push(line.bytes);
    expect(lines).toHaveLength(7);
    expect(status.peakLineBufferBytes).toBeLessThanOrEqual(16 << 20);
    expect(status.stopped).toBeUndefined();
  });

  it('splits a 32 MiB line from a source that reuses one buffer, holding at most the limit (a configured 1 MiB)', async () => {
    const status: LogReadStatus = { peakLineBufferBytes: 0 };
    const lines = [];
    for await (const line of splitLines(oneHugeLine(32 << 20, 64 << 10), { maxLineBytes: 1 << 20, status })) lines.push(line);
    expect(lines.map((line) => [line.text, line.bytes])).toEqual([
      [undefined, 32 << 20],
      ['{"after":true}', 14],
    ]);
    expect(lines[0]!.text === undefined && lines[0]!.head).toBe('x'.repeat(512));
    expect(status.peakLineBufferBytes).toBeLessThanOrEqual(1 << 20);
  });

  it('applies the limit to lines given as strings', async () => {
    async function* lines(): AsyncGenerator<string> {
      yield* ordinaryLines(2);
      yield longEventLine(2, 4096);
      yield* ordinaryLines(2, 3);
    }
    const report = await costReplay({ policy: metadata, log: lines(), maxLineBytes: 2048 });
    expect(report.input).toMatchObject({ lines: 5, events: 4, badLines: 1 });
    expect(report.input.badLineSamples[0]!.message).toContain('over the limit of 2048');
  });
});

describe('JSON that only lenient readers take', () => {
  it('is a bad line (trailing commas, NaN, Infinity), as Go\u2019s encoding/json would refuse it', async () => {
    for (const { name, line } of LENIENT_JSON) {
      const report = await costReplay({ policy: metadata, log: write('lenient.log', logText([line, ...ordinaryLines(2)])) });
      expect({ name, bad: report.input.badLines, events: report.input.events, message: report.input.badLineSamples[0]?.message }).toEqual({ name, bad: 1, events: 2, message: 'not JSON (cut short or corrupted)' });
    }
  });
});

describe('events of the wrong shape', () => {
  it('count each as a bad line with its reason, and the replay goes on', async () => {
    const report = await costReplay({ policy: metadata, log: hostile('cost/wrong-shapes'), top: 1000 });
    expect(report.input.badLines).toBe(WRONG_SHAPES.length);
    expect(report.input.events).toBe(4);
    // Samples keep the first ten; check every reason through lines of their own.
    for (const shape of WRONG_SHAPES) {
      const alone = await costReplay({ policy: metadata, log: write('shape.log', logText([shape.line])) });
      expect({ name: shape.name, bad: alone.input.badLines, message: alone.input.badLineSamples[0]?.message }).toEqual({
        name: shape.name,
        bad: 1,
        message: expect.stringMatching(shape.reason),
      });
    }
    expect(report.input.badLineSamples.map((sample) => sample.line)).toEqual(WRONG_SHAPES.slice(0, 10).map((_, index) => index + 3));
  });
});

describe('bodies nested deeper than JSON.stringify can go', () => {
  it('are measured, not fatal, in every place the replay encodes them', async () => {
    const deep = deeplyNestedLines(20000);
    expect(() => JSON.stringify(JSON.parse(deep[0]!))).toThrow(RangeError);
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }], { omitManagedFields: true }), log: hostile('cost/nested-20000') });
    expect(report.input).toMatchObject({ lines: 6, events: 6, badLines: 0, eventLists: 1 });
    // The EventList item is measured by its encoding, which here is its own text.
    const list = deep[3]!;
    const item = list.slice(list.indexOf('"items":[') + '"items":['.length, -2);
    expect(report.log.bytes).toBe(lineBytes([...ordinaryLines(2), ...deep.slice(0, 3), item]));
  });
});

describe('gzip files cut short or corrupted', () => {
  it('a truncated file gives the report of what was read and says where it stopped', async () => {
    const file = hostile('cost/gz-truncated');
    const size = COST_CASES.find((entry) => entry.name === 'cost/gz-truncated')!.generate().bytes.length;
    const report = await costReplay({ policy: metadata, log: file });
    const stopped = report.input.stopped!;
    expect(stopped).toMatchObject({ gzip: true, inputOffset: size, line: report.input.lines });
    expect(stopped.message).toMatch(/cut short/);
    expect(report.input.events).toBeGreaterThan(500);
    expect(report.input.events).toBeLessThan(2000);
    // The lines before the cut are whole events; only the last one can be cut in the middle.
    expect(report.input.badLines).toBeLessThanOrEqual(1);
    expect(report.input.lines).toBe(report.input.events + report.input.badLines);
    expect(stopped.textOffset).toBe(report.input.bytesRead - (report.input.badLines === 0 ? 0 : 1));
  });

  it('a corrupt file gives the report of what was read and says it is corrupt', async () => {
    const report = await costReplay({ policy: metadata, log: hostile('cost/gz-corrupt') });
    expect(report.input.stopped?.message).toMatch(/gzip data is corrupt/);
    expect(report.input.events).toBeGreaterThan(0);
  });

  it('a whole file reports no stop', async () => {
    const report = await costReplay({ policy: metadata, log: write('whole.log.gz', gzipSync(logText(ordinaryLines(50)))) });
    expect(report.input.stopped).toBeUndefined();
    expect(report.input.events).toBe(50);
  });
});
