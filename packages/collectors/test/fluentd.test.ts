// The fluentd language against the seed's example, real audit events and fluentd's own parser
// rules. The injection corpus and properties are in hostile/fluentd.test.ts.
import { describe, expect, it } from 'vitest';
import { fluentd } from '../src/index.js';
import { ok, refused } from './helpers.js';
import { describeWithShared, readShared, SHARED_FILES } from '../../../test/support/shared-data.js';
import { SEED, seedFluentd } from './seed-blocks.js';

const {
  comment,
  filter,
  fluentConfig,
  match,
  param,
  placeholderText,
  record,
  rubyExpression,
  source,
  type,
} = fluentd;
const parseFluentd = (text: string, options?: fluentd.ParseFluentdOptions) => ok(fluentd.parseFluentd(text, options));
const writeFluentd = (config: FluentConfig) => ok(fluentd.writeFluentd(config));
const auditLogByNamespace = (options: fluentd.AuditLogByNamespaceOptions) => ok(fluentd.auditLogByNamespace(options));
const auditLogByNamespaceInCluster = (options: fluentd.AuditLogByNamespaceInClusterOptions) => ok(fluentd.auditLogByNamespaceInCluster(options));
type FluentConfig = fluentd.FluentConfig;
type FluentElement = fluentd.FluentElement;

const seedOptions = {
  logPath: '/var/log/kube-audit',
  posFile: '/var/log/audit.pos',
  tag: 'audit',
  outputPathPattern: '/var/log/audit-${tag}.*.log',
  format: 'json',
} as const;


function directives(config: FluentConfig): FluentElement[] {
  return config.body.filter((n): n is FluentElement => n.kind === 'element');
}


describeWithShared('fluentd preset against the seed example', [SEED], () => {
  const seed = parseFluentd(seedFluentd(), { comments: false });

  it('reads the seed as five directives', () => {
    expect(directives(seed).map((d) => `${d.name} ${d.arg}`)).toEqual(['source ', 'filter audit', 'match audit', 'filter audit.**', 'match audit.**']);
  });

  it('equals the seed in the legacy form except for the documented time fix', () => {
    const preset = auditLogByNamespace({ ...seedOptions, parseStyle: 'legacy', comments: false }).config;
    const [seedSource, ...seedRest] = directives(seed);
    const [presetSource, ...presetRest] = directives(preset);
    // Everything after <source> is the seed's, byte for byte in structure.
    expect(presetRest).toEqual(seedRest);
    // In <source>, the only differences are the deliberate ones: the seed reads a `time` field
    // that audit.k8s.io/v1 events lack, with a %z format; the preset reads stageTimestamp as UTC
    // and keeps the field.
    const fixed: FluentElement = {
      ...seedSource!,
      body: seedSource!.body.flatMap((node): fluentd.FluentNode[] => {
        if (node.kind !== 'param') return [node];
        if (node.key === 'time_key') return [param('time_key', 'stageTimestamp')];
        if (node.key === 'time_format') return [param('time_format', '%Y-%m-%dT%H:%M:%S.%NZ'), param('utc', 'true'), param('keep_time_key', 'true')];
        return [node];
      }),
    };
    expect(presetSource).toEqual(fixed);
    expect(presetSource).not.toEqual(seedSource);
  });

  it('moves only format and the time parameters into <parse> in the default (section) form', () => {
    const legacy = directives(auditLogByNamespace({ ...seedOptions, parseStyle: 'legacy', comments: false }).config);
    const modern = directives(auditLogByNamespace({ ...seedOptions, comments: false }).config);
    expect(modern.slice(1)).toEqual(legacy.slice(1));
    const parseKeys = ['time_key', 'time_format', 'utc', 'keep_time_key'];
    const legacyParams = legacy[0]!.body.filter((n) => n.kind === 'param');
    const expectedSource = fluentd.source(
      ...legacyParams.filter((n) => n.kind === 'param' && n.key !== 'format' && !parseKeys.includes(n.key)),
      fluentd.parse(type('json'), ...legacyParams.filter((n) => n.kind === 'param' && parseKeys.includes(n.key))),
    );
    expect(modern[0]).toEqual(expectedSource);
  });

  it('keeps the seed Ruby expression as a typed Ruby value', () => {
    const rec = directives(seed)[1]!.body.find((n): n is FluentElement => n.kind === 'element' && n.name === 'record')!;
    expect(rec.body[0]).toMatchObject({ kind: 'param', key: 'namespace', value: { kind: 'ruby' } });
  });

  it('round-trips the seed through the writer', () => {
    const withComments = parseFluentd(seedFluentd());
    expect(parseFluentd(writeFluentd(withComments))).toEqual(withComments);
  });
});

describeWithShared('time parsing of real audit events', [SHARED_FILES.sampleLog], () => {
  // A tiny strptime for the directives the format uses, written independently of the preset.
  const directivesRe: Record<string, string> = { Y: '(\\d{4})', m: '(\\d{2})', d: '(\\d{2})', H: '(\\d{2})', M: '(\\d{2})', S: '(\\d{2})', N: '(\\d{1,9})' };
  function strptimeRegex(format: string): RegExp {
    let re = '';
    for (let i = 0; i < format.length; i++) {
      if (format[i] === '%') re += directivesRe[format[++i]!] ?? '(?!)';
      else re += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  }
  const events = readShared(SHARED_FILES.sampleLog)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('the seed time_key does not exist in v1 events, the preset one does', () => {
    const source = directives(auditLogByNamespace(seedOptions).config)[0]!;
    const parseSection = source.body.find((n): n is FluentElement => n.kind === 'element' && n.name === 'parse')!;
    const timeKey = fluentd.paramValue(parseSection, 'time_key') as string;
    expect(events.length).toBeGreaterThan(1000);
    expect(events.filter((e) => 'time' in e)).toEqual([]);
    expect(events.every((e) => typeof e[timeKey] === 'string')).toBe(true);
  });

  it('the preset time_format matches every stageTimestamp and gives the same instant read as UTC', () => {
    const source = directives(auditLogByNamespace(seedOptions).config)[0]!;
    const parseSection = source.body.find((n): n is FluentElement => n.kind === 'element' && n.name === 'parse')!;
    expect(fluentd.paramValue(parseSection, 'utc')).toBe('true');
    const re = strptimeRegex(fluentd.paramValue(parseSection, 'time_format') as string);
    expect(re.test('2021-01-02T03:04:05.123456Z')).toBe(true);
    for (const e of events) {
      const value = e.stageTimestamp as string;
      const m = re.exec(value);
      expect(m, value).not.toBeNull();
      const [, y, mo, d, h, mi, s] = m!.map(Number);
      const ms = Math.floor(Number(`0.${m![7]}`) * 1000);
      expect(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms)).toBe(Date.parse(value));
    }
  });
});

describe('fluentd parser follows fluentd v1 value rules', () => {
  // Each expected value is the one fluentd's own tests give (test/config/test_literal_parser.rb and
  // test_config_parser.rb of github.com/fluent/fluentd): bare text stops at white space + `#`, a `#`
  // anywhere else is text (also right after the key), symbols after a backslash stand for
  // themselves in double quotes, single quotes know only \' and \\.
  const cases: [string, string][] = [
    ['k value # trailing comment', 'value'],
    ['k a#b', 'a#b'],
    ['k #not_comment', '#not_comment'],
    ['k   #not_comment', '#not_comment'],
    ['k', ''],
    ['k   spaced   out   ', 'spaced   out'],
    ['k "a\\#{b}\\"c\\\\"', 'a#{b}"c\\'],
    ['k "tab\\there"', 'tab\there'],
    ['k "\\0"', '\0'],
    ['k "\\$t\\["', '$t['],
    ["k 'it\\'s \\\\ \\n'", "it's \\ \\n"],
    ['k \\n', '\\n'],
    ['k ["a", "b"]', '["a","b"]'],
    ['k {"a": 1} # note', '{"a":1}'],
  ];
  it.each(cases)('%s', (line, expected) => {
    const config = parseFluentd(`<match a>\n  ${line}\n</match>\n`);
    expect(directives(config)[0]!.body[0]).toEqual({ kind: 'param', key: 'k', value: expected });
  });

  it('refuses what needs fluentd to evaluate, with the position', () => {
    const [embedded] = refused(fluentd.parseFluentd('<match a>\n  k "#{1}"\n</match>\n', { file: 'fluent.conf' }));
    expect(embedded).toMatchObject({ code: 'fluentd-parse', line: 2, column: 5, file: 'fluent.conf' });
    expect(refused(fluentd.parseFluentd('<match a>\n  k ["#{1}"]\n</match>\n'))[0]!.message).toMatch(/embedded Ruby/);
    expect(refused(fluentd.parseFluentd('<match a>\n  @include x.conf\n</match>\n'))[0]!.message).toMatch(/@include/);
    expect(refused(fluentd.parseFluentd('<match a>\n  k v\n</filter>\n'))[0]!.message).toMatch(/does not close/);
    // test_config_parser.rb: "considers comments in element argument"
    expect(refused(fluentd.parseFluentd('<test #a>\n</test>\n'))[0]!.message).toMatch(/comment/);
  });

  it('ends lines at a lone carriage return, as LINE_END does', () => {
    expect(directives(parseFluentd('<match a>\r  k v\r</match>\r'))[0]!.body).toEqual([param('k', 'v')]);
  });

  it('has size and depth limits', () => {
    expect(refused(fluentd.parseFluentd('#'.repeat(20), { maxLength: 10 }))[0]!.code).toBe('fluentd-too-large');
    const deep = `${'<a>\n'.repeat(100)}${'</a>\n'.repeat(100)}`;
    expect(refused(fluentd.parseFluentd(deep))[0]!.message).toMatch(/nested more than 64/);
    expect(parseFluentd(deep, { maxDepth: 100 }).body).toHaveLength(1);
  });
});

describe('fluentd writer', () => {
  it('prints canonical text, identical for identical input', () => {
    const a = writeFluentd(auditLogByNamespace(seedOptions).config);
    const b = writeFluentd(auditLogByNamespace({ ...seedOptions }).config);
    expect(a).toBe(b);
    expect(a.endsWith('\n')).toBe(true);
    expect(a).not.toMatch(/\t|\n\n\n| +\n/);
  });

  it('escapes # in quoted values so #{ } is never evaluated while loading', () => {
    const config = fluentConfig(match('a', type('null'), param('note', ' #{`id`}')));
    const text = writeFluentd(config);
    expect(text).toContain('note " \\#{`id`}"');
    expect(parseFluentd(text)).toEqual(config);
  });

  it('writes placeholders as typed text, read back as the same type', () => {
    const noRuby = fluentConfig(filter('a', type('record_transformer'), record(param('x', placeholderText('${tag}')))));
    expect(writeFluentd(noRuby)).toContain('x ${tag}');
    expect(parseFluentd(writeFluentd(noRuby))).toEqual(noRuby);
  });

  it('writes Ruby only where it is evaluated', () => {
    expect(refused(fluentd.writeFluentd(fluentConfig(match('a', param('x', rubyExpression('1 + 1'))))))[0]).toMatchObject({ code: 'fluentd-ruby-context', path: '<match a> > x' });
  });

  it('keeps comments and directive order', () => {
    const config = fluentConfig(comment('first'), source(type('dummy'), comment('inside')), comment('between'), match('**', type('stdout')));
    expect(parseFluentd(writeFluentd(config))).toEqual(config);
  });
});

describe('fluentd in the cluster', () => {
  const options = {
    ...seedOptions,
    posFile: '/var/lib/fluentd-audit/audit.pos',
    outputPathPattern: '/var/lib/fluentd-audit/audit-${tag}.*.log',
    configMapName: 'audit-fluentd',
    namespace: 'kube-system',
  };

  it('returns a ConfigMap whose fluent.conf parses back to the preset', () => {
    const result = auditLogByNamespaceInCluster(options);
    expect(Object.keys(result.configMap.data)).toEqual(['fluent.conf']);
    expect(result.configMap.metadata).toEqual({ name: 'audit-fluentd', namespace: 'kube-system' });
    expect(parseFluentd(result.configMap.data['fluent.conf']!)).toEqual(auditLogByNamespace(options).config);
    expect(result.volumes).toEqual([
      { name: 'audit-log', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'fluentd-state', hostPath: { path: '/var/lib/fluentd-audit', type: 'DirectoryOrCreate' } },
      { name: 'fluentd-config', configMap: { name: 'audit-fluentd', items: [{ key: 'fluent.conf', path: 'fluent.conf' }] } },
    ]);
    expect(result.volumeMounts).toEqual([
      { name: 'audit-log', mountPath: '/var/log', readOnly: true },
      { name: 'fluentd-state', mountPath: '/var/lib/fluentd-audit' },
      { name: 'fluentd-config', mountPath: '/fluentd/etc', readOnly: true },
    ]);
    expect(result.configPath).toBe('/fluentd/etc/fluent.conf');
    expect(result.plugins.map((p) => p.gem)).toEqual(['fluent-plugin-forest', 'fluent-plugin-rewrite-tag-filter']);
  });

  it('refuses a position file on the read-only log mount', () => {
    expect(refused(fluentd.auditLogByNamespaceInCluster({ ...options, posFile: '/var/log/audit.pos' })).map((p) => p.path)).toEqual(['posFile']);
  });

  it('refuses an invalid ConfigMap name and namespace, both at once', () => {
    expect(refused(fluentd.auditLogByNamespaceInCluster({ ...options, configMapName: 'Audit_Fluentd', namespace: 'Kube System' })).map((p) => p.path)).toEqual(['configMapName', 'namespace']);
  });

  it('refuses a path that leaves its mount through ..', () => {
    expect(refused(fluentd.auditLogByNamespaceInCluster({ ...options, posFile: '/var/lib/fluentd-audit/../../../etc/audit.pos' }))[0]).toMatchObject({ path: 'posFile', code: 'invalid-option' });
  });
});
