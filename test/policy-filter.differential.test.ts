// The policy compilers of @k8s-gen/collectors checked differentially against kube-apiserver's own
// decision, as @k8s-gen/engine models it (`evaluate` over `attributesFromEvent`): every event of
// the real audit log in ../shared/samples and thousands of generated ones, under every policy
// preset and random policies. The Lua filter runs in a real Lua 5.4 (Debian's lua5.4, installed by
// .ci/run) through a harness that hands it records the way Fluent Bit's filter_lua does; the VRL
// program runs in the interpreter of the VRL subset (no Vector binary can be installed here).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POLICY_PRESETS, validate, type Policy } from '@k8s-gen/audit';
import { policyFilter } from '@k8s-gen/collectors';
import { attributesFromEvent, evaluate } from '@k8s-gen/engine';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { policyArbitrary } from '../packages/engine/test/arbitraries.js';
import { auditEventArbitrary } from './policy-filter-events.js';
import { describeWithShared, readShared, SHARED_FILES } from './support/shared-data.js';

const { downstreamOutcome, policyToLuaFilter, policyToVrlFilter, runVrl } = policyFilter;

const here = dirname(fileURLToPath(import.meta.url));
const harness = join(here, 'lua', 'fluent-bit-filter-harness.lua');
const work = mkdtempSync(join(tmpdir(), 'k8s-gen-lua-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const generatedLines = fc.sample(auditEventArbitrary, { numRuns: 3000, seed: 20240516 }).map((event) => JSON.stringify(event));

/** Events as text (what Lua reads) and decoded (what the engine and the VRL interpreter read). */
interface Events {
  readonly lines: readonly string[];
  readonly parsed: readonly Record<string, unknown>[];
  /** How many of the lines come from the real log (they come first). */
  readonly real: number;
}
const eventsOf = (real: readonly string[]): Events => {
  const lines = [...real, ...generatedLines];
  return { lines, parsed: lines.map((line) => JSON.parse(line) as Record<string, unknown>), real: real.length };
};

/** What the apiserver's decision makes a downstream filter do, for every event. */
function expectedOutcomes(policy: Policy, events: Events, kubernetesVersion: string | undefined) {
  const options = kubernetesVersion === undefined ? {} : { kubernetesVersion };
  return events.parsed.map((event) => downstreamOutcome(event, evaluate(policy, attributesFromEvent(event), options)));
}

interface Tally {
  compared: number;
  disagreements: string[];
}
const lua: Tally = { compared: 0, disagreements: [] };
const vrl: Tally = { compared: 0, disagreements: [] };

/** Runs the Lua filter over every event; returns its disagreements with `expected`. */
function compareLua(policy: Policy, name: string, events: Events, expected: readonly policyFilter.DownstreamOutcome[], kubernetesVersion?: string): string[] {
  const found: string[] = [];
  const compiled = policyToLuaFilter(policy, kubernetesVersion === undefined ? {} : { kubernetesVersion });
  expect(compiled.problems).toEqual([]);
  const file = join(work, `${name.replace(/[^a-z0-9]+/gi, '-')}.lua`);
  writeFileSync(file, compiled.value!.script);
  const run = spawnSync('lua5.4', [harness, file, compiled.value!.call], { input: `${events.lines.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error !== undefined) throw new Error(`lua5.4 could not be run (${run.error.message}); install it with apt-get install lua5.4, as .ci/run does`);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const results = run.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { code: number; record?: unknown });
  expect(results).toHaveLength(events.lines.length);
  results.forEach((result, i) => {
    lua.compared++;
    const want = expected[i]!;
    const agree =
      want.action === 'drop'
        ? result.code === -1
        : want.changed
          ? result.code === 2 && JSON.stringify(sortKeys(result.record)) === JSON.stringify(sortKeys(want.event))
          : result.code === 0;
    if (!agree) found.push(`${name}: event ${i} (${i < events.real ? 'from the real log' : 'generated'}): expected ${want.action}${want.action === 'keep' ? ` changed=${want.changed}` : ''}, Lua returned ${result.code}`);
  });
  lua.disagreements.push(...found);
  return found;
}

/** Runs the VRL program in the subset interpreter over every event; returns its disagreements. */
function compareVrl(policy: Policy, name: string, events: Events, expected: readonly policyFilter.DownstreamOutcome[], kubernetesVersion?: string): string[] {
  const found: string[] = [];
  const compiled = policyToVrlFilter(policy, kubernetesVersion === undefined ? {} : { kubernetesVersion });
  expect(compiled.problems).toEqual([]);
  events.parsed.forEach((event, i) => {
    vrl.compared++;
    const run = runVrl(compiled.value!.program, event as policyFilter.VrlValue);
    const want = expected[i]!;
    const agree = want.action === 'drop' ? run.aborted : !run.aborted && JSON.stringify(sortKeys(run.event)) === JSON.stringify(sortKeys(want.event));
    if (!agree) found.push(`${name}: event ${i}: expected ${want.action}, VRL ${run.aborted ? 'aborted' : 'kept'}`);
  });
  vrl.disagreements.push(...found);
  return found;
}

/** Both filters against the apiserver's decisions for one policy. */
function compare(policy: Policy, name: string, events: Events, kubernetesVersion?: string): void {
  const expected = expectedOutcomes(policy, events, kubernetesVersion);
  expect(compareLua(policy, name, events, expected, kubernetesVersion).slice(0, 5)).toEqual([]);
  expect(compareVrl(policy, name, events, expected, kubernetesVersion).slice(0, 5)).toEqual([]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  return value;
}

// Random policies over the engine's property-test alphabet, kept when the apiserver of the
// release would accept them (the compilers refuse the others, checked below).
const randomPolicies = fc.sample(policyArbitrary, { numRuns: 24, seed: 7 });

describe('policy filters on hostile values and EventLists', () => {
  it('hostile policy values survive the Lua and VRL literals exactly (the values of the collectors\' injection corpus)', () => {
    const values = ['a" || true || "', "it's", 'dev\\', '{{ k8s_user }}', '${HOME}', '$HOSTNAME', 'a -- b', '# x', ']]..os.exit()..[[', 'end', ' a b ', 'ünïcødé 名前', '\\065', '%s%d'];
    const lines = values.flatMap((value) => [value, `${value}x`].map((name) => JSON.stringify({ kind: 'Event', stage: 'ResponseComplete', level: 'Metadata', verb: 'get', requestURI: '/api', user: { username: name, groups: [name] }, objectRef: { resource: 'pods', namespace: name, name } })));
    const events: Events = { lines, parsed: lines.map((line) => JSON.parse(line) as Record<string, unknown>), real: 0 };
    for (const [i, value] of values.entries()) {
      const hostile: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', users: [value] }, { level: 'Request', userGroups: [value] }, { level: 'Metadata', namespaces: [value] }, { level: 'None', resources: [{ group: '', resources: ['pods'], resourceNames: [value] }] }, { level: 'RequestResponse' }] };
      compare(hostile, `hostile-${i}`, events);
    }
  });

  it('splits a webhook EventList into its events in lua5.4, as the http input and filter_lua hand it over', () => {
    const file = join(work, 'split.lua');
    writeFileSync(file, policyFilter.eventListSplitScript('k8s_gen_split_event_list', ['test']));
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [{ auditID: 'a', verb: 'get', annotations: null }, 'not an event', { auditID: 'b', kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1' }] };
    const input = [JSON.stringify(list), JSON.stringify({ kind: 'EventList', items: [] }), JSON.stringify({ kind: 'Event', auditID: 'c' })].join('\n');
    const run = spawnSync('lua5.4', [harness, file, 'k8s_gen_split_event_list'], { input: `${input}\n`, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const [split, empty, event] = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { code: number; record?: unknown });
    expect(split).toEqual({ code: 2, record: [{ auditID: 'a', verb: 'get', annotations: null, kind: 'Event', apiVersion: 'audit.k8s.io/v1' }, { auditID: 'b', kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1' }] });
    expect(empty).toEqual({ code: -1 });
    expect(event).toEqual({ code: 0 });
  });
});

describeWithShared('policy filters against kube-apiserver decisions', [SHARED_FILES.sampleLog], () => {
  const realLines = readShared(SHARED_FILES.sampleLog).split('\n').filter((line) => line !== '');
  // The presets see every event; the random policies every fifth real one (the log repeats its
  // kinds of request many times), to keep the run short.
  const everyEvent = eventsOf(realLines);
  const someEvents = eventsOf(realLines.filter((_, i) => i % 5 === 0));

  it(`feeds ${realLines.length} real and ${generatedLines.length} generated events`, () => {
    expect(realLines.length).toBeGreaterThan(5000);
  });

  for (const preset of POLICY_PRESETS) {
    it(`the ${preset.name} preset: Lua in lua5.4 and VRL decide every event as the apiserver`, () => {
      compare(preset.build().build(), preset.name, everyEvent);
    });
  }

  it('random policies at 1.35 and 1.36 (group "*" matches every group only from 1.36)', () => {
    let compiled = 0;
    for (const [i, policy] of randomPolicies.entries()) {
      for (const version of ['1.35', '1.36']) {
        const valid = validate(policy, { kubernetesVersion: version }).every((p) => p.severity !== 'error');
        if (!valid) {
          // Refused by the compilers exactly when the apiserver would refuse the policy.
          expect(policyToLuaFilter(policy, { kubernetesVersion: version }).ok).toBe(false);
          expect(policyToVrlFilter(policy, { kubernetesVersion: version }).ok).toBe(false);
          continue;
        }
        compiled++;
        compare(policy, `random-${i}-${version}`, someEvents, version);
      }
    }
    expect(compiled).toBeGreaterThan(10);
  }, 600_000);

  it('reports the numbers, with no disagreement', () => {
    console.log(`Lua (lua5.4): events compared: ${lua.compared}, disagreements: ${lua.disagreements.length}`);
    console.log(`VRL (subset interpreter): events compared: ${vrl.compared}, disagreements: ${vrl.disagreements.length}`);
    console.log(`events compared: ${lua.compared + vrl.compared}, disagreements: ${lua.disagreements.length + vrl.disagreements.length}`);
    expect(lua.disagreements).toHaveLength(0);
    expect(vrl.disagreements).toHaveLength(0);
    expect(lua.compared).toBeGreaterThan(50_000);
  });
});
