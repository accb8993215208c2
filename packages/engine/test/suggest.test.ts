// suggestPolicy end to end: on a log made here (every event known) and on the shared
// RequestResponse sample. The proof is checked against the engine's own cost, lint and evaluate,
// run again here on the emitted policy.
import { describe, expect, it } from 'vitest';
import { commentOf, parsePolicy, validate } from '@k8s-gen/audit';
import { costReplay, evaluate, formatSuggestProof, lint, parseKeep, profileRequirements, suggestPolicy, type Requirement } from '../src/index.js';
import { describeWithShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';
import { FIXTURE_REQUESTS, fixtureLog, fixtureSource } from './suggest-fixtures.js';

const keep = (text: string, index = 0): Requirement => {
  const parsed = parseKeep(text, index);
  if (parsed.requirement === undefined) throw new Error(`bad keep ${text}`);
  return parsed.requirement;
};

const requirements = (): Requirement[] => [...profileRequirements('cis'), keep('user=bob:RequestResponse', 0), keep('url=/healthz*:<=None', 1)];

describe('suggestPolicy on a log made here', () => {
  it('writes a valid, lint-clean policy meeting every requirement, and the proof says so', async () => {
    const result = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    const parsed = parsePolicy(result.yaml!);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(validate(parsed.policy)).toEqual([]);
    expect(lint(parsed.policy)).toEqual([]);
    expect(result.proof!.lint).toEqual([]);
    expect(result.proof!.verdicts.map((verdict) => verdict.requirement.id)).toEqual([...requirements().map((requirement) => requirement.id), 'credentials']);
    for (const verdict of result.proof!.verdicts) {
      expect(verdict.met, verdict.requirement.id).toBe(true);
      // The probe's level is what the emitted policy gives that request.
      const probe = verdict.probe!;
      expect(probe.met, verdict.requirement.id).toBe(true);
      expect(evaluate(parsed.policy, probe.request).level).toBe(probe.explanation.result.level);
    }
  });

  it('gives each request the level its requirements allow: secret bodies out, bob in full, health checks dropped', async () => {
    const result = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    const probes = new Map(result.proof!.verdicts.map((verdict) => [verdict.requirement.id, verdict.probe!]));
    expect(probes.get('cis.secrets')!.sample!.label).toBe('get secrets in team-a by alice');
    expect(probes.get('cis.secrets')!.explanation.result.level).toBe('Metadata');
    expect(probes.get('keep[0]')!.sample!.label).toBe('create pods in team-a by bob');
    expect(probes.get('keep[0]')!.explanation.result.level).toBe('RequestResponse');
    expect(probes.get('keep[1]')!.sample!.label).toBe('get /healthz by system:kube-probe');
    expect(probes.get('keep[1]')!.explanation.result.level).toBe('None');
  });

  it('comments each rule with its measured share of the input, which the rules add up to', async () => {
    const result = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    const lines = fixtureLog();
    const totalBytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    expect(result.rules.reduce((sum, rule) => sum + rule.input.events, 0)).toBe(lines.length);
    expect(result.rules.reduce((sum, rule) => sum + rule.input.bytes, 0)).toBe(totalBytes);
    for (const rule of result.rules) {
      const comment = commentOf(result.policy!.rules[rule.index]!)!;
      expect(comment).toContain(rule.input.events === 0 ? 'Input: no requests of this log.' : `${(100 * rule.input.eventShare).toFixed(1)}% of events (${rule.input.events})`);
    }
    // The rule keeping secrets at Metadata decides exactly the events of the core resources it names.
    const secretsRule = result.rules.find((rule) => rule.requirements.includes('cis.secrets'))!;
    const named = result.policy!.rules[secretsRule.index]!.resources!.find((entry) => entry.group === '')!.resources!;
    expect(named).toContain('secrets');
    const secretEvents = 2 * FIXTURE_REQUESTS.filter(([request]) => named.includes(request.objectRef?.resource ?? '')).reduce((sum, [, count]) => sum + count, 0);
    expect(secretsRule.input.events).toBe(secretEvents);
    expect(result.yaml).toContain(`${((100 * secretEvents) / lines.length).toFixed(1)}% of events (${secretEvents})`);
  });

  it('reports the cost before and after as k8s-gen cost measures it', async () => {
    const result = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    const again = await costReplay({ policy: result.policy!, log: fixtureSource()() });
    expect(result.proof!.after).toEqual({ events: again.candidate.events, bytes: again.candidate.bytes, estimated: false });
    expect(result.proof!.before).toMatchObject({ events: again.log.events, bytes: again.log.bytes, label: 'the log as recorded' });
    expect(result.proof!.after.bytes).toBeLessThan(result.proof!.before.bytes);
    // Against a current policy, "before" is what that policy writes.
    const current = await suggestPolicy({ log: fixtureSource(), requirements: requirements(), current: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] } });
    const metadata = await costReplay({ policy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] }, log: fixtureSource()() });
    expect(current.proof!.before).toMatchObject({ events: metadata.candidate.events, bytes: metadata.candidate.bytes, label: 'the current policy' });
  });

  it('is deterministic', async () => {
    const first = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    const second = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    expect(second.yaml).toBe(first.yaml);
    expect(formatSuggestProof(second, 'fixture.log')).toBe(formatSuggestProof(first, 'fixture.log'));
  });

  it('says plainly what a Metadata log cannot measure', async () => {
    const full = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    expect(full.input!.limits.join(' ')).not.toContain('cannot measure body sizes');
    const result = await suggestPolicy({ log: fixtureSource('Metadata'), requirements: requirements() });
    expect(result.ok).toBe(true);
    expect(result.input!.levels.Metadata).toBe(fixtureLog().length);
    expect(result.input!.limits[0]).toMatch(/written at Metadata, which cannot measure body sizes/);
    // The policy follows from the requirements, not from what the log could measure.
    expect(result.policy!.rules.map((rule) => rule.level)).toEqual(full.policy!.rules.map((rule) => rule.level));
    expect(formatSuggestProof(result, 'm.log')).toContain('limit: the log was written at Metadata');
  });

  it('refuses a requirement that cannot be met, writing nothing', async () => {
    const result = await suggestPolicy({ log: fixtureSource(), requirements: [keep('secrets:Request')] });
    expect(result.ok).toBe(false);
    expect(result.yaml).toBeUndefined();
    expect(result.problems).toMatchObject([{ severity: 'error', code: 'requirement-unsatisfiable', path: 'keep[0]' }]);
    expect(formatSuggestProof(result, 'fixture.log')).toContain('error [requirement-unsatisfiable] keep[0]');
  });

  it('prints the proof: cost, lint, and one probe per requirement', async () => {
    const result = await suggestPolicy({ log: fixtureSource(), requirements: requirements() });
    const text = formatSuggestProof(result, 'fixture.log');
    expect(text).toContain(`before: ${result.proof!.before.events} events`);
    expect(text).toContain('Lint: no findings.');
    for (const verdict of result.proof!.verdicts) expect(text).toMatch(new RegExp(`met {2}${verdict.requirement.id.replace(/[[\]]/g, '\\$&')}: `));
    expect(text.match(/probe: /g)!.length).toBe(result.proof!.verdicts.length);
    expect(text).toContain('probe: get secrets in team-a by alice (6 in the log) -> rules[');
  });
});

describeWithShared('suggestPolicy on the RequestResponse sample', [SHARED_FILES.sampleLog], () => {
  it('meets cis and falco with a lint-clean policy far smaller than the log, and offers --keep rules that parse', async () => {
    const result = await suggestPolicy({ log: sharedPath(SHARED_FILES.sampleLog), requirements: [...profileRequirements('cis'), ...profileRequirements('falco')] });
    expect(result.ok).toBe(true);
    expect(result.proof!.verdicts.every((verdict) => verdict.met && verdict.probe?.met)).toBe(true);
    expect(result.proof!.lint).toEqual([]);
    expect(result.input!.levels.RequestResponse).toBe(result.input!.events);
    expect(result.proof!.after.bytes).toBeLessThan(result.proof!.before.bytes / 2);
    // The probes use requests of the log where one is covered.
    expect(result.proof!.verdicts.find((verdict) => verdict.requirement.id === 'cis.secrets')!.probe!.sample).toBeDefined();
    expect(result.floorTraffic.length).toBeGreaterThan(0);
    for (const traffic of result.floorTraffic) if (traffic.keep !== undefined) expect(parseKeep(traffic.keep, 0).requirement).toBeDefined();
  }, 120_000);
});
