// The typed examples the guides include: each one exists, type-checks, runs, and prints what the
// guide says it prints. Expected values come from the Kubernetes documentation's own policies (the
// seed files beside the repository) and from the apiserver facts the guides explain, never from the
// code under test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gceProductionPolicy } from '@k8s-gen/audit';
import { LINT_RULES } from '@k8s-gen/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cliHelpTree } from '../scripts/cli-help.js';
import { docsRoot, examplesRoot, guideRoot, repoRoot } from '../scripts/workspace.js';
import { coreGenerated, hasShared, itWithCore, itWithShared, readShared, SHARED_FILES, sharedPath } from '../../test/support/shared-data.js';

const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');

/** Example files each guide includes with `<<< @/examples/<file>`. */
function includesByGuide(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const guide of readdirSync(guideRoot).filter((name) => name.endsWith('.md')).sort()) {
    const markdown = readFileSync(path.join(guideRoot, guide), 'utf8');
    out.set(guide, [...markdown.matchAll(/^<<<\s+@\/examples\/([\w./-]+\.ts)/gm)].map((match) => match[1]!));
  }
  return out;
}

const exampleFiles = readdirSync(examplesRoot).filter((name) => name.endsWith('.ts')).sort();

/** Extra command-line arguments some examples take. */
const exampleArgs: Record<string, string[]> = {
  'cost-estimate.ts': [sharedPath(SHARED_FILES.sampleLog)],
  'suggest-policy.ts': [sharedPath(SHARED_FILES.sampleLog)],
  'cost-sql.ts': [sharedPath(SHARED_FILES.sampleLog)],
  'import-core.ts': [sharedPath(SHARED_FILES.spec120)],
};

/** Examples that need outside data: the shared files they read, or a generated @k8s-gen/core. */
const exampleNeeds: Record<string, { shared?: string[]; core?: true }> = {
  'cost-estimate.ts': { shared: [SHARED_FILES.sampleLog] },
  'suggest-policy.ts': { shared: [SHARED_FILES.sampleLog] },
  'cost-sql.ts': { shared: [SHARED_FILES.sampleLog] },
  'import-core.ts': { shared: [SHARED_FILES.spec120] },
  'core-configmap.ts': { core: true },
};

/** Why an example cannot run on this clone, or undefined when it can. */
function missingFor(file: string): string | undefined {
  const needs = exampleNeeds[file] ?? {};
  if (needs.core && !coreGenerated) return 'needs @k8s-gen/core, generated from a Kubernetes spec';
  if (needs.shared && !hasShared(...needs.shared)) return `needs ../shared/${needs.shared.join(', ../shared/')}`;
  return undefined;
}

interface ExampleRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The fresh working folder the example ran in (files it wrote are there). */
  cwd: string;
}

const runs = new Map<string, ExampleRun>();
const workFolders: string[] = [];

/** Runs an example once, in a fresh folder, against the packages' sources. */
function runExample(file: string): ExampleRun {
  const cached = runs.get(file);
  if (cached) return cached;
  const cwd = mkdtempSync(path.join(tmpdir(), 'k8s-gen-docs-example-'));
  workFolders.push(cwd);
  const result = spawnSync(tsx, ['--conditions=@k8s-gen/source', path.join(examplesRoot, file), ...(exampleArgs[file] ?? [])], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const run = { status: result.status, stdout: result.stdout, stderr: result.stderr, cwd };
  runs.set(file, run);
  return run;
}

/** The YAML of the seed's policy block that starts at `firstLine` and ends before `endMarker`. */
function seedYaml(firstLine: string, endMarker: string): unknown {
  const seed = readShared(SHARED_FILES.seed);
  const start = seed.indexOf(firstLine);
  const end = seed.indexOf(endMarker, start);
  expect(start, `seed block starting "${firstLine}"`).toBeGreaterThanOrEqual(0);
  return parseYaml(seed.slice(start, end));
}

afterAll(() => {
  for (const folder of workFolders) rmSync(folder, { recursive: true, force: true });
});

describe('typed examples', () => {
  it('every included example exists and every example is included by a guide', () => {
    const included = new Set<string>();
    const missing: string[] = [];
    for (const [guide, files] of includesByGuide()) {
      for (const file of files) {
        included.add(file);
        if (!existsSync(path.join(examplesRoot, file))) missing.push(`${guide} → ${file}`);
      }
    }
    expect(missing).toEqual([]);
    expect(exampleFiles.filter((file) => !included.has(file))).toEqual([]);
  });

  it('type-check with tsc --noEmit', () => {
    // Examples that import a @k8s-gen/core this clone did not generate are left out (and said to be).
    const checked = exampleFiles.filter((file) => exampleNeeds[file]?.core !== true || coreGenerated);
    // The project file sits in the docs workspace so that `types: ['node']` resolves as it does for the examples.
    const project = path.join(mkdtempSync(path.join(docsRoot, 'test', '.tmp-examples-tsc-')), 'tsconfig.json');
    workFolders.push(path.dirname(project));
    writeFileSync(project, JSON.stringify({ extends: path.join(examplesRoot, 'tsconfig.json'), include: [], files: checked.map((file) => path.join(examplesRoot, file)) }));
    const result = spawnSync(tsc, ['--noEmit', '-p', project], { cwd: docsRoot, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(exampleFiles.map((file) => [missingFor(file) === undefined ? file : `${file} (skipped: ${missingFor(file)})`, file]))('%s runs to completion', (_title, file) => {
    if (missingFor(file) !== undefined) return;
    const run = runExample(file);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
  });
});

describe('what the examples print', () => {
  itWithShared('the documentation example policy is the one in the Kubernetes docs', [SHARED_FILES.seed], () => {
    const printed = parseYaml(runExample('cookbook-docs-example.ts').stdout);
    expect(printed).toEqual(seedYaml('apiVersion: audit.k8s.io/v1 # Esto es obligatorio.', 'Puedes usar un archivo'));
  });

  itWithShared('the minimal policy is the one in the Kubernetes docs', [SHARED_FILES.seed], () => {
    const printed = parseYaml(runExample('cookbook-minimal.ts').stdout);
    expect(printed).toEqual(seedYaml('# Log all requests at the Metadata level.', 'El perfil de auditoría'));
  });

  it('the GCE-style profile has the 17 rules of the GCE script and equals the ready-made preset', () => {
    const printed = parseYaml(runExample('cookbook-gce.ts').stdout) as { rules: Array<{ level: string; resources?: unknown[] }> };
    expect(printed.rules).toHaveLength(17);
    expect(printed.rules.map((rule) => rule.level)).toEqual([
      ...Array<string>(10).fill('None'),
      'Request', 'Request', 'Request', 'Metadata', 'Request', 'RequestResponse', 'Metadata',
    ]);
    expect(printed.rules[14]!.resources).toHaveLength(18);
    expect(printed).toEqual(JSON.parse(JSON.stringify(gceProductionPolicy().build())));
  });

  it('the first policy prints valid YAML with its three rules', () => {
    const printed = parseYaml(runExample('first-policy.ts').stdout) as { kind: string; rules: unknown[]; omitStages: string[] };
    expect(printed.kind).toBe('Policy');
    expect(printed.omitStages).toEqual(['RequestReceived']);
    expect(printed.rules).toHaveLength(3);
  });

  it('the evaluation example shows the matching corners the concepts guide describes', () => {
    // Columns as the example pads them: label (18), rule (9), level (16), stages.
    const rows = Object.fromEntries(
      runExample('evaluate-requests.ts')
        .stdout.trimEnd()
        .split('\n')
        .map((line) => [line.slice(0, 18).trim(), [line.slice(19, 28), line.slice(29, 45), line.slice(46)].map((cell) => cell.trim()).join(' ').trim()]),
    );
    // pods/* also matches the pod itself; logs are long-running, so ResponseStarted appears.
    expect(rows['get a pod']).toMatch(/^rules\[1\] RequestResponse ResponseComplete$/);
    expect(rows['read pod logs']).toMatch(/^rules\[1\] RequestResponse ResponseStarted, ResponseComplete$/);
    // namespaces: [""] matches cluster-scoped requests but not a get of a Namespace by name.
    expect(rows['list nodes']).toMatch(/^rules\[2\] Request ResponseComplete$/);
    expect(rows['get namespace web']).toMatch(/^rules\[3\] Metadata ResponseComplete$/);
    expect(rows['health check']).toMatch(/^rules\[0\] None$/);
    expect(rows['watch deployments']).toMatch(/^rules\[3\] Metadata ResponseStarted, ResponseComplete$/);
  });

  it('the tuning example reproduces the documentation figures', () => {
    const output = runExample('tune-docs-example.ts').stdout;
    expect(output).toContain('200 events/s');
    expect(output).toMatch(/throttle is 2 QPS/);
    expect(output).toMatch(/1000 events \(10 batches\)/);
    expect(output).toContain('--audit-webhook-batch-max-size=100');
  });

  it('the lint example loads in kube-apiserver but lint reports its mistakes', () => {
    const output = runExample('lint-policy.ts').stdout;
    expect(output).toContain('validate: 0 problem(s)');
    for (const code of ['dead-rule', 'case-never-matches', 'sensitive-body-logged', 'response-started-omitted']) {
      expect(output).toContain(code);
    }
  });

  it('the explain example finds the rule the docs policy uses for kube-proxy listing services', () => {
    // Rule 4 of the docs policy only covers watches, so a list falls through to rule 8 (core at Request).
    expect(runExample('explain-request.ts').stdout).toContain('=> level Request, stages: ResponseComplete');
  });

  itWithShared('the cost example replays the real 1.20 audit log', [SHARED_FILES.sampleLog], () => {
    const output = runExample('cost-estimate.ts').stdout;
    const recorded = readFileSync(exampleArgs['cost-estimate.ts']![0]!, 'utf8').trim().split('\n').length;
    expect(output).toContain(`read ${recorded} events`);
  });

  itWithShared('the suggest example meets every requirement and drops the health checks', [SHARED_FILES.sampleLog], () => {
    const output = runExample('suggest-policy.ts').stdout;
    const recorded = readFileSync(exampleArgs['suggest-policy.ts']![0]!, 'utf8').trim().split('\n').length;
    const summary = /^(\d+) rules; (\d+) events -> (\d+); (\d+) of (\d+) requirements met$/m.exec(output)!;
    expect(Number(summary[2])).toBe(recorded);
    expect(Number(summary[3])).toBeLessThan(recorded);
    expect(summary[4]).toBe(summary[5]);
    expect(output).toMatch(/^rules\[0\] None .* for keep\[1\]$/m);
  });

  it('the compliance example judges maxsize 0 by the release: rotation up to 1.35, none from 1.36', () => {
    const [before, after] = runExample('compliance-check.ts').stdout.split(/^Kubernetes /m).slice(1);
    expect(before).toMatch(/fail +1\.2\.17 +audit-log-maxage/);
    expect(before).toMatch(/warn +1\.2\.19 +audit-log-maxsize/);
    expect(after).toMatch(/fail +1\.2\.19 +audit-log-maxsize/);
    expect(after).toMatch(/pass +3\.2\.2 +audit-policy-content/);
  });

  itWithShared('the SQL cost example gets the replay\u2019s figures from DuckDB and writes the Athena query', [SHARED_FILES.sampleLog], () => {
    const output = runExample('cost-sql.ts').stdout;
    const recorded = readFileSync(exampleArgs['cost-sql.ts']![0]!, 'utf8').trim().split('\n').length;
    expect(output).toMatch(new RegExp(`^DuckDB: \\d+ of ${recorded} events kept`, 'm'));
    expect(output).toContain('same events per rule as the JavaScript replay: true');
    expect(output).toMatch(new RegExp(`^Athena query: \\d+ characters for the ${gceProductionPolicy().build().rules.length} rules$`, 'm'));
  });

  it('the webhook kubeconfig is accepted by kubectl and keeps the token in a 0600 file', () => {
    const run = runExample('webhook-kubeconfig.ts');
    const kubeconfig = path.join(run.cwd, 'out', 'audit-webhook-kubeconfig');
    const tokenFile = `${kubeconfig}.kube-apiserver.token`;
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(kubeconfig, 'utf8')).not.toContain('example-token-for-the-docs');
    const view = spawnSync('/usr/bin/kubectl', ['config', 'view', '--kubeconfig', kubeconfig, '-o', 'json'], { encoding: 'utf8' });
    expect(view.stderr).toBe('');
    const config = JSON.parse(view.stdout) as { clusters: Array<{ cluster: { server: string } }>; 'current-context': string };
    expect(config.clusters[0]!.cluster.server).toBe('https://audit.example.internal:8443/events');
    expect(config['current-context']).not.toBe('');
  });

  it('the flags example prints only audit flags and no problems', () => {
    const lines = runExample('apiserver-flags.ts').stdout.trim().split('\n');
    expect(lines.every((line) => line.startsWith('--audit-'))).toBe(true);
    expect(lines).toContain('--audit-policy-file=/etc/kubernetes/audit-policy.yaml');
  });

  it('the synth example writes the policy and the flags', () => {
    const run = runExample('synth-app.ts');
    const target = path.join(run.cwd, 'dist', 'audit', 'cluster');
    expect(parseYaml(readFileSync(path.join(target, 'audit-policy.yaml'), 'utf8'))).toMatchObject({ kind: 'Policy' });
    expect(readFileSync(path.join(target, 'apiserver-flags.txt'), 'utf8')).toContain('--audit-policy-file=');
  });
});

describe('what the pipeline and legacy examples print', () => {
  /** The files a synth example printed, as `--- path` sections. */
  function printedFiles(output: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const section of output.split(/^--- /m).slice(1)) {
      const newline = section.indexOf('\n');
      files.set(section.slice(0, newline).replace(/ \(mode 0600\)$/, ''), section.slice(newline + 1));
    }
    return files;
  }

  it('Fluent Bit tails the file the API server writes, with a line buffer for its truncated events', () => {
    const files = printedFiles(runExample('fluent-bit-pipeline.ts').stdout);
    const flags = files.get('cluster/apiserver-flags.txt')!;
    const config = parseYaml(files.get('cluster/fluent-bit/fluent-bit.yaml')!);
    const tail = config.pipeline.inputs[0];
    expect(tail.path).toBe(/^--audit-log-path=(.+)$/m.exec(flags)![1]);
    // The truncated event, its line feed and the byte Fluent Bit keeps for a NUL.
    expect(Number(tail.buffer_max_size)).toBe(Number(/^--audit-log-truncate-max-event-size=(\d+)$/m.exec(flags)![1]) + 2);
    expect(tail.skip_long_lines).toBe('on');
    expect(config.pipeline.filters.map((f: { name: string }) => f.name)).toEqual(['rewrite_tag', 'lua']);
  });

  it('Vector listens where the webhook kubeconfig posts', () => {
    const files = printedFiles(runExample('vector-pipeline.ts').stdout);
    const server = parseYaml(files.get('cluster/audit-webhook-kubeconfig.yaml')!).clusters[0].cluster.server as string;
    const source = parseYaml(files.get('cluster/vector/vector.yaml')!).sources.k8s_audit_webhook;
    expect(new URL(server).port).toBe(source.address.split(':').pop());
    expect(new URL(server).pathname).toBe(source.path);
  });

  it('the OpenTelemetry Collector reads the log with max_log_size above the default 100 KiB truncation', () => {
    const config = parseYaml(printedFiles(runExample('otel-pipeline.ts').stdout).get('cluster/otel/collector.yaml')!);
    expect(config.receivers['filelog/k8s_audit'].max_log_size).toBe(102_402);
    expect(config.service.pipelines['logs/k8s_audit'].exporters).toEqual(['otlp/k8s_audit']);
  });

  it('the managed-cluster example reads an EKS export and keeps only what its policy logs', () => {
    const lines = runExample('managed-clusters.ts').stdout.trim().split('\n');
    // Two health checks dropped by the None rule, the delete lowered from Request to Metadata.
    expect(lines).toContain('format: eks');
    expect(lines).toContain('events: 3 in the export, 1 kept by our policy');
    expect(lines).toContain('VRL on the delete: kept at Metadata');
  });

  it('Fluentd tails the file the API server writes, as JSON, timed by stageTimestamp', () => {
    const files = printedFiles(runExample('fluentd-pipeline.ts').stdout);
    const flags = files.get('audit/apiserver-flags.txt')!;
    const fluentd = files.get('audit/fluentd/fluent.conf')!;
    const logPath = /^--audit-log-path=(.+)$/m.exec(flags)![1]!;
    expect(flags).toContain('--audit-log-format=json');
    expect(fluentd).toMatch(new RegExp(`^\\s*path ${logPath}$`, 'm'));
    // audit.k8s.io/v1 events have no "time" field; the documented time_key time would never match.
    expect(fluentd).toMatch(/time_key stageTimestamp/);
    expect(fluentd).not.toMatch(/time_key time$/m);
  });

  it('Logstash listens on the port the webhook kubeconfig posts to and splits EventLists', () => {
    const files = printedFiles(runExample('logstash-pipeline.ts').stdout);
    const kubeconfig = parseYaml(files.get('audit/audit-webhook-kubeconfig.yaml')!) as { clusters: Array<{ cluster: { server: string } }> };
    const pipeline = files.get('audit/logstash/pipeline.conf')!;
    const port = /port => (\d+)/.exec(pipeline)![1]!;
    expect(new URL(kubeconfig.clusters[0]!.cluster.server).port).toBe(port);
    expect(pipeline).toMatch(/field => \[items\]/);
  });

  it('the AuditSink is defaulted like the 1.18 API server and refused for 1.19', () => {
    const output = runExample('auditsink.ts').stdout;
    const sink = parseYaml(output.replace(/^# .*$/gm, '')) as { kind: string; spec: { webhook: { throttle: { qps: number; burst: number } } } };
    expect(sink.kind).toBe('AuditSink');
    expect(sink.spec.webhook.throttle).toEqual({ qps: 10, burst: 15 });
    expect(output).toMatch(/^# on 1\.19: .*1\.19/m);
  });

  it('the aggregated server gets the audit flags and a Deployment patch', () => {
    const output = runExample('aggregated-apiserver.ts').stdout;
    expect(output).toContain('metrics-server/deployment.patch.json');
    expect(output).toContain('--audit-log-path=-');
    expect(output).toContain('--audit-policy-file=/etc/audit/policy.yaml');
  });

  it('a construct of your own adds its object to the target it is placed in', () => {
    const files = printedFiles(runExample('audit-loss-alerts.ts').stdout);
    const rule = parseYaml(files.get('cluster/kubernetes/objects.yaml')!) as { kind: string; metadata: { namespace: string }; spec: { groups: Array<{ rules: Array<{ expr: string }> }> } };
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata.namespace).toBe('monitoring');
    // The counter the apiserver raises for every event it loses, by plugin (buffered, webhook, ...).
    expect(rule.spec.groups[0]!.rules[0]!.expr).toContain('apiserver_audit_error_total');
  });

  (coreGenerated ? (name: string, body: () => void) => itWithShared(name, [SHARED_FILES.seed], body) : itWithCore)('the ConfigMap carries a policy kube-apiserver accepts', () => {
    const configMap = parseYaml(runExample('core-configmap.ts').stdout) as { kind: string; data: Record<string, string> };
    expect(configMap.kind).toBe('ConfigMap');
    expect(parseYaml(configMap.data['audit-policy.yaml']!)).toEqual(seedYaml('# Log all requests at the Metadata level.', 'El perfil de auditoría'));
  });

  itWithShared('importing core/v1 from the 1.20 spec writes Pod with the generated header', [SHARED_FILES.spec120], () => {
    const run = runExample('import-core.ts');
    const pod = readFileSync(path.join(run.cwd, 'src', 'imports', 'core', 'v1', 'types', 'Pod.ts'), 'utf8');
    expect(pod.startsWith('// Generated by k8s-gen')).toBe(true);
    expect(run.stdout).toMatch(/core\/v1: \d+ types/);
  });
});

describe('guide text that mirrors the libraries', () => {
  it('the lint table lists exactly the codes lint reports', () => {
    const guide = readFileSync(path.join(guideRoot, 'analysis.md'), 'utf8');
    const documented = [...guide.matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]!).sort();
    expect(documented).toEqual(Object.keys(LINT_RULES).sort());
  });

  it('every k8s-gen command line in the guides uses a real command and real options', () => {
    const helpByCommand = new Map(cliHelpTree().filter(({ words }) => words.length === 1).map(({ words, help }) => [words[0]!, help]));
    const commands = new Set(helpByCommand.keys());
    const problems: string[] = [];
    for (const guide of readdirSync(guideRoot).filter((name) => name.endsWith('.md')).sort()) {
      const markdown = readFileSync(path.join(guideRoot, guide), 'utf8').replace(/\\\n\s*/g, ' ');
      for (const match of markdown.matchAll(/^npx k8s-gen (\S+)(.*)$/gm)) {
        const [command, rest] = [match[1]!, match[2]!];
        if (!commands.has(command)) {
          problems.push(`${guide}: unknown command "${command}"`);
          continue;
        }
        const help = helpByCommand.get(command)!;
        // Options outside quotes (a quoted value may itself hold apiserver flags, as in --review).
        for (const option of rest.replace(/"[^"]*"/g, '').match(/(?<=\s)--[a-z-]+/g) ?? []) {
          if (!new RegExp(`(^|[\\s,])${option}\\b`, 'm').test(help)) problems.push(`${guide}: k8s-gen ${command} has no option ${option}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
