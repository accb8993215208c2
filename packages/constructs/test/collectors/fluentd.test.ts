import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectorConfigError, fluentd } from '../../src/collectors/index.js';
import { outcomes, viaUtf8, writeOrTypedError } from './injection.js';
import { seedFluentd } from './seed-blocks.js';

const {
  auditLogByNamespace,
  auditLogByNamespaceInCluster,
  comment,
  filter,
  flag,
  fluentConfig,
  match,
  param,
  parseFluentd,
  record,
  rubyExpression,
  source,
  type,
  writeFluentd,
} = fluentd;
type FluentConfig = fluentd.FluentConfig;
type FluentElement = fluentd.FluentElement;

const seedOptions = {
  logPath: '/var/log/kube-audit',
  posFile: '/var/log/audit.pos',
  tag: 'audit',
  outputPathPattern: '/var/log/audit-${tag}.*.log',
  format: 'json',
} as const;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

function directives(config: FluentConfig): FluentElement[] {
  return config.body.filter((n): n is FluentElement => n.kind === 'element');
}


describe('fluentd preset against the seed example', () => {
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

describe('time parsing of real audit events', () => {
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
  const events = readFileSync(resolve(repoRoot, '../shared/samples/audit-log-all-requestresponse.jsonl'), 'utf8')
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
  // Expected values follow fluentd's literal parser: bare text stops at whitespace + `#`, a `#`
  // right after the key starts a comment, symbols after a backslash stand for themselves.
  const cases: [string, string][] = [
    ['k value # trailing comment', 'value'],
    ['k a#b', 'a#b'],
    ['k #only a comment', ''],
    ['k', ''],
    ['k   spaced   out   ', 'spaced   out'],
    ['k "a\\#{b}\\"c\\\\"', 'a#{b}"c\\'],
    ['k "tab\\there"', 'tab\there'],
    ["k 'it\\'s \\\\ \\n'", "it's \\ \\n"],
    ['k ["a", "b"]', '["a","b"]'],
    ['k {"a": 1} # note', '{"a":1}'],
  ];
  it.each(cases)('%s', (line, expected) => {
    const config = parseFluentd(`<match a>\n  ${line}\n</match>\n`);
    expect(directives(config)[0]!.body[0]).toEqual(param('k', expected));
  });

  it('refuses embedded Ruby in double quotes and @include', () => {
    expect(() => parseFluentd('<match a>\n  k "#{1}"\n</match>\n')).toThrow(expect.objectContaining({ code: 'fluentd-parse', position: { line: 2, column: 5 } }));
    expect(() => parseFluentd('<match a>\n  @include x.conf\n</match>\n')).toThrow(CollectorConfigError);
    expect(() => parseFluentd('<match a>\n  k v\n</filter>\n')).toThrow(/does not close/);
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

  it('refuses a newline with the field and a fix', () => {
    const config = fluentConfig(source(type('tail'), param('path', '/var/log/a\n</source>\n<source>')));
    expect(() => writeFluentd(config)).toThrow(CollectorConfigError);
    try {
      writeFluentd(config);
    } catch (e) {
      expect((e as CollectorConfigError).code).toBe('fluentd-newline');
      expect((e as CollectorConfigError).path).toBe('<source> > path');
    }
  });

  it('refuses values that read like a section tag', () => {
    expect(() => writeFluentd(fluentConfig(match('a', param('tag', '</match>'))))).toThrow(/section tag/);
  });

  it('escapes # in quoted values so #{ } is never evaluated while loading', () => {
    const config = fluentConfig(match('a', type('null'), param('note', ' #{`id`}')));
    const text = writeFluentd(config);
    expect(text).toContain('note " \\#{`id`}"');
    expect(parseFluentd(text)).toEqual(config);
  });

  it('refuses Ruby markers in plain data where record_transformer evaluates Ruby', () => {
    const build = (value: string) => fluentConfig(filter('a', type('record_transformer'), flag('enable_ruby'), record(param('x', value))));
    expect(() => writeFluentd(build('${`id`}'))).toThrow(expect.objectContaining({ code: 'fluentd-ruby-injection', path: '<filter a> > <record> > x' }));
    expect(() => writeFluentd(build('a]; system("id"); %Q['))).toThrow(expect.objectContaining({ code: 'fluentd-ruby-injection' }));
    // Without enable_ruby the same text is only a placeholder and is written as data.
    const noRuby = fluentConfig(filter('a', type('record_transformer'), record(param('x', '${tag}'))));
    expect(parseFluentd(writeFluentd(noRuby))).toEqual(noRuby);
  });

  it('writes Ruby only where it is evaluated', () => {
    expect(() => writeFluentd(fluentConfig(match('a', param('x', rubyExpression('1 + 1')))))).toThrow(expect.objectContaining({ code: 'fluentd-ruby-context' }));
    expect(() => rubyExpression('a\nb')).toThrow(CollectorConfigError);
  });

  it('keeps comments and directive order', () => {
    const config = fluentConfig(comment('first'), source(type('dummy'), comment('inside')), comment('between'), match('**', type('stdout')));
    expect(parseFluentd(writeFluentd(config))).toEqual(config);
  });
});

describe('fluentd injection (property)', () => {
  afterEach(() => {
    // Both outcomes must occur, or the property would be vacuous.
    expect(outcomes.written).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(50);
    outcomes.written = 0;
    outcomes.refused = 0;
  });

  const dangerous = ['\n', '\r', '</match>', '<match **>', '#{', '${', '"', "'", '\\', '}', '{', '[', '=>', '#', ' ', '\t', '@include', '%', '$', ']', '\u0000', '<', '>'];
  const nasty = fc
    .array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...dangerous), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 8 })
    .map((parts) => parts.join(''));

  it('a value in any param either round-trips exactly or is refused by name', () => {
    fc.assert(
      fc.property(nasty, fc.boolean(), (value, ruby) => {
        const config = ruby
          ? fluentConfig(filter('audit', type('record_transformer'), flag('enable_ruby'), record(param('field', value))))
          : fluentConfig(source(type('tail'), param('path', value), param('tag', 'audit')));
        const text = writeOrTypedError(() => writeFluentd(config), ruby ? '<record> > field' : '<source> > path');
        if (text !== undefined) expect(parseFluentd(viaUtf8(text))).toEqual(config);
      }),
      { numRuns: 1500 },
    );
  });

  it('tags, keys, section names and comments either round-trip or are refused by name', () => {
    fc.assert(
      fc.property(nasty, fc.constantFrom('arg', 'key', 'name', 'comment'), (value, where) => {
        const config =
          where === 'arg'
            ? fluentConfig(match(value, type('null')))
            : where === 'key'
              ? fluentConfig(match('a', type('null'), param(value, 'x')))
              : where === 'name'
                ? fluentConfig(fluentd.element(value, '', type('null')))
                : fluentConfig(comment(value), match('a', type('null')));
        const text = writeOrTypedError(() => writeFluentd(config), /.*/);
        if (text !== undefined) expect(parseFluentd(viaUtf8(text))).toEqual(config);
      }),
      { numRuns: 1500 },
    );
  });

  it('every preset option either round-trips or is refused under its own name', () => {
    const options = ['logPath', 'posFile', 'tag', 'outputPathPattern'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...options), nasty, fc.constantFrom('', '/var/log/', '/var/log/audit-${tag}'), (option, value, prefix) => {
        let config: FluentConfig | undefined;
        writeOrTypedError(() => {
          config = auditLogByNamespace({ ...seedOptions, [option]: prefix + value }).config;
          return '';
        }, option);
        if (config === undefined) return;
        const text = viaUtf8(writeFluentd(config));
        expect(parseFluentd(text)).toEqual(config);
        expect(directives(parseFluentd(text))).toHaveLength(5);
      }),
      { numRuns: 1500 },
    );
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
    expect(() => auditLogByNamespaceInCluster({ ...options, posFile: '/var/log/audit.pos' })).toThrow(expect.objectContaining({ path: 'posFile' }));
  });

  it('refuses an invalid ConfigMap name', () => {
    expect(() => auditLogByNamespaceInCluster({ ...options, configMapName: 'Audit_Fluentd' })).toThrow(expect.objectContaining({ path: 'configMapName' }));
  });
});

const hasFluentd = (() => {
  try {
    execFileSync('which', ['fluentd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasFluentd)('real fluentd', () => {
  it('accepts the preset with --dry-run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-gen-fluentd-'));
    const file = join(dir, 'fluent.conf');
    writeFileSync(file, writeFluentd(auditLogByNamespace(seedOptions).config));
    execFileSync('fluentd', ['--dry-run', '-c', file], { stdio: 'pipe' });
  });
});
