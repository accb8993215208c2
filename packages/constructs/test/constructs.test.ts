import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docsExamplePolicy, minimalMetadataPolicy } from '@k8s-gen/audit';
import { tune } from '@k8s-gen/engine';
import { ApiObject, App as Cdk8sApp, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  addToCdk8sChart,
  App,
  AuditChart,
  AuditPolicy,
  checkFlagPaths,
  DynamicBackend,
  FluentdAuditPipeline,
  FluentdCollector,
  LogBackend,
  LogstashAuditPipeline,
  LogstashCollector,
  registerContributor,
  WebhookBackend,
  type AuditSinkProps,
  type TargetContribution,
  type TargetContributor,
} from '../src/index.js';
import { Construct } from 'constructs';
import { fluentd } from '@k8s-gen/collectors';

const { parseFluentd } = fluentd;

const outdir = () => join(mkdtempSync(join(tmpdir(), 'k8s-gen-constructs-')), 'dist');
const errors = (app: App) => app.validate().filter((p) => p.severity === 'error');

const SEED_SINK: AuditSinkProps = { name: 'mysink', level: 'Metadata', stages: ['ResponseComplete'], url: 'https://audit.app', throttle: { qps: 10, burst: 15 } };

describe('FluentdAuditPipeline', () => {
  it('shares one log path between the flags and fluentd', () => {
    const app = new App({ outdir: outdir() });
    new FluentdAuditPipeline(app, 'audit', { kubernetesVersion: '1.20', policy: docsExamplePolicy() });
    const result = app.synth();
    const conf = result.files.find((f) => f.path === 'audit/fluentd/fluent.conf')!.contents;
    const flags = result.files.find((f) => f.path === 'audit/apiserver-flags.txt')!.contents;
    expect(flags).toContain('--audit-log-path=/var/log/kube-audit\n');
    expect(flags).toContain('--audit-log-format=json\n');
    const source = parseFluentd(conf).value!.body.find((n) => n.kind === 'element' && n.name === 'source');
    expect(source && source.kind === 'element' && source.body.find((n) => n.kind === 'param' && n.key === 'path')).toMatchObject({ value: '/var/log/kube-audit' });
  });

  it('is refused when fluentd tails another file than the apiserver writes', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.20' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(target, 'Log', { path: '/var/log/kube-audit' });
    new FluentdCollector(target, 'Fluentd', { logPath: '/var/log/other-audit' });
    const found = errors(app);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ constructPath: 'cluster/Fluentd', code: 'fluentd-log-path', file: 'fluentd/fluent.conf' });
    expect(found[0]!.message).toContain('/var/log/other-audit');
    expect(found[0]!.message).toContain('/var/log/kube-audit');
  });

  it('is refused when the apiserver writes the legacy format fluentd cannot parse', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.20' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(target, 'Log', { path: '/var/log/kube-audit', format: 'legacy' });
    new FluentdCollector(target, 'Fluentd');
    expect(errors(app).map((p) => p.code)).toEqual(['fluentd-log-format']);
  });

  it('is refused when no log backend writes the tailed file', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.20' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new FluentdCollector(target, 'Fluentd', { logPath: '/var/log/kube-audit' });
    expect(errors(app).map((p) => p.code)).toEqual(['fluentd-no-log-backend']);
  });

  it('reports a refused collector value under the collector, with the file', () => {
    const app = new App({ outdir: outdir() });
    new FluentdAuditPipeline(app, 'audit', { kubernetesVersion: '1.20', policy: minimalMetadataPolicy(), fluentd: { outputPathPattern: '/var/log/all.log' } });
    const found = errors(app);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ constructPath: 'audit/Fluentd', file: 'fluentd/fluent.conf', path: 'outputPathPattern' });
  });

  it('in the cluster, emits a ConfigMap and DaemonSet volumes that mount the log directory read-only', () => {
    const app = new App({ outdir: outdir() });
    new FluentdAuditPipeline(app, 'audit', { kubernetesVersion: '1.30', policy: minimalMetadataPolicy(), fluentd: { inCluster: { configMapName: 'fluentd-audit' } } });
    const result = app.synth();
    const objects = parseAllDocuments(result.files.find((f) => f.path === 'audit/kubernetes/objects.yaml')!.contents).map((d) => d.toJS());
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fluentd-audit', namespace: 'kube-system' } });
    expect(objects[0].data['fluent.conf']).toBe(result.files.find((f) => f.path === 'audit/fluentd/fluent.conf')!.contents);
    const volumes = parse(result.files.find((f) => f.path === 'audit/fluentd/daemonset-volumes.yaml')!.contents);
    expect(volumes.volumeMounts).toContainEqual({ name: 'audit-log', mountPath: '/var/log', readOnly: true });
  });
});

describe('collector props a user gives', () => {
  // The collector language refuses every hostile value where it enters; the constructs report its
  // problems at synth under the construct, named after the prop, and write nothing.
  it('refuses a fluentd position file that would add a directive', () => {
    const app = new App({ outdir: outdir() });
    new FluentdAuditPipeline(app, 'audit', { kubernetesVersion: '1.20', policy: minimalMetadataPolicy(), fluentd: { posFile: '/var/log/a.pos\n</source>\n<source>\n@type exec', tag: 'audit.**' } });
    expect(errors(app).map((p) => `${p.constructPath}:${p.path}:${p.file}`)).toEqual(['audit/Fluentd:posFile:fluentd/fluent.conf', 'audit/Fluentd:tag:fluentd/fluent.conf']);
    expect(() => app.synth()).toThrow(/nothing was written/);
  });

  it("refuses a logstash path whose parts join into ${...}", () => {
    const app = new App({ outdir: outdir() });
    const outputPathPattern = { kind: 'string' as const, parts: [{ kind: 'text' as const, text: '/var/log/$' }, { kind: 'text' as const, text: '{HOME}/' }, { kind: 'field' as const, path: ['user'] }] };
    new LogstashAuditPipeline(app, 'audit', { kubernetesVersion: '1.20', policy: minimalMetadataPolicy(), logstashAddress: '10.0.0.5', logstash: { outputPathPattern } });
    expect(errors(app)).toMatchObject([{ constructPath: 'audit/Logstash', path: 'outputPathPattern', code: 'logstash-env-in-text', file: 'logstash/pipeline.conf' }]);
  });

  it('refuses a logstash address that is not a host', () => {
    const app = new App({ outdir: outdir() });
    new LogstashAuditPipeline(app, 'audit', { kubernetesVersion: '1.20', policy: minimalMetadataPolicy(), logstashAddress: 'evil/x?' });
    expect(errors(app).find((p) => p.path === 'address')).toMatchObject({ constructPath: 'audit/Logstash', code: 'invalid-option', file: 'audit-webhook-kubeconfig.yaml' });
  });
});

describe('checkFlagPaths', () => {
  const policyFlag = { name: 'audit-policy-file', value: '/etc/kubernetes/audit-policy.yaml' };
  const policyFile = { path: 'audit-policy.yaml', contents: 'x', purpose: 'p', nodePath: '/etc/kubernetes/audit-policy.yaml' };
  const policyMount = { name: 'audit-policy', hostPath: '/etc/kubernetes/audit-policy.yaml', mountPath: '/etc/kubernetes/audit-policy.yaml', type: 'File' as const, readOnly: true };

  it('accepts flags whose files are written and mounted', () => {
    expect(checkFlagPaths([policyFlag], [policyFile], [policyMount])).toEqual([]);
  });

  it('names a flag path that nothing writes', () => {
    expect(checkFlagPaths([policyFlag], [], [policyMount]).map((p) => p.code)).toEqual(['flag-path-not-written']);
  });

  it('names a flag path the Pod does not mount', () => {
    expect(checkFlagPaths([policyFlag], [policyFile], []).map((p) => p.code)).toEqual(['flag-path-not-mounted']);
  });

  it('requires the log directory to be mounted writable, but not for stdout', () => {
    const logFlag = { name: 'audit-log-path', value: '/var/log/audit/a.log' };
    const readOnly = { name: 'audit-log', hostPath: '/var/log/audit', mountPath: '/var/log/audit', type: 'DirectoryOrCreate' as const, readOnly: true };
    expect(checkFlagPaths([logFlag], [], [readOnly]).map((p) => p.code)).toEqual(['flag-path-not-mounted']);
    expect(checkFlagPaths([logFlag], [], [{ ...readOnly, readOnly: false }])).toEqual([]);
    expect(checkFlagPaths([{ name: 'audit-log-path', value: '-' }], [], [])).toEqual([]);
  });
});

describe('WebhookBackend', () => {
  it('writes a kubeconfig with inline CA and client certificate', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion: '1.30' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new WebhookBackend(target, 'Webhook', { server: 'https://audit.example.com:8443/events', credentials: { caPem: 'CA PEM\n', clientCertificatePem: 'CERT\n', clientKeyPem: 'KEY\n' } });
    const result = app.synth();
    const kubeconfig = parse(result.files.find((f) => f.path === 'c/audit-webhook-kubeconfig.yaml')!.contents);
    expect(kubeconfig.clusters[0].cluster['certificate-authority-data']).toBe(Buffer.from('CA PEM\n').toString('base64'));
    expect(kubeconfig.users[0].user['client-key-data']).toBe(Buffer.from('KEY\n').toString('base64'));
    expect(kubeconfig.contexts[0].context).toEqual({ cluster: 'audit-webhook', user: 'kube-apiserver' });
  });

  it('refuses a certificate without its key and warns about blocking mode', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion: '1.30' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new WebhookBackend(target, 'Webhook', { server: 'https://a.example:1/x', mode: 'blocking', credentials: { clientCertificatePem: 'CERT' } });
    const problems = app.validate().map((p) => `${p.constructPath}:${p.severity}:${p.code}`);
    expect(problems).toEqual(['c/Webhook:warning:blocking-webhook', 'c/Webhook:error:cert-without-key']);
  });
});

describe('DynamicBackend', () => {
  it("writes the seeds' AuditSink, the three switches and the admin-only RBAC on 1.13", () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'legacy', { kubernetesVersion: '1.13' });
    new DynamicBackend(target, 'Dynamic', { sinks: [SEED_SINK] });
    const result = app.synth();
    const objects = parseAllDocuments(result.files.find((f) => f.path === 'legacy/kubernetes/objects.yaml')!.contents).map((d) => d.toJS());
    expect(objects[0]).toEqual({
      apiVersion: 'auditregistration.k8s.io/v1alpha1',
      kind: 'AuditSink',
      metadata: { name: 'mysink' },
      spec: { policy: { level: 'Metadata', stages: ['ResponseComplete'] }, webhook: { throttle: { qps: 10, burst: 15 }, clientConfig: { url: 'https://audit.app' } } },
    });
    expect(objects.map((o) => o.kind)).toEqual(['AuditSink', 'ClusterRole', 'ClusterRoleBinding']);
    expect(objects[1].rules[0]).toMatchObject({ apiGroups: ['auditregistration.k8s.io'], resources: ['auditsinks'] });
    expect(objects[2].subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
    const flags = result.files.find((f) => f.path === 'legacy/apiserver-flags.txt')!.contents;
    expect(flags).toBe('--audit-dynamic-configuration=true\n--feature-gates=DynamicAuditing=true\n--runtime-config=auditregistration.k8s.io/v1alpha1=true\n');
  });

  it('refuses to synthesize for 1.19 and later, saying why', () => {
    const app = new App({ outdir: outdir() });
    new DynamicBackend(new AuditChart(app, 'new', { kubernetesVersion: '1.19' }), 'Dynamic', { sinks: [SEED_SINK] });
    expect(() => app.synth()).toThrow(/\[new\/Dynamic\].*removed in 1\.19/s);
  });

  it('checks each sink with the SDK validator for the target version', () => {
    const app = new App({ outdir: outdir() });
    new DynamicBackend(new AuditChart(app, 'l', { kubernetesVersion: '1.14' }), 'Dynamic', {
      sinks: [
        { name: 'a', level: 'Request', stages: [], url: 'https://x.example/?q=1' },
        { name: 'b', level: 'None', stages: [], service: { namespace: 'audit', name: 'sink', port: 8443, path: '/Audit' } },
      ],
    });
    expect(errors(app).map((p) => `${p.code}@${p.path}`)).toEqual([
      'stages-required@sinks[0].spec.policy.stages',
      'url-query@sinks[0].spec.webhook.clientConfig.url',
      'field-not-in-version@sinks[1].spec.webhook.clientConfig.service.port',
      'service-path-invalid@sinks[1].spec.webhook.clientConfig.service.path',
    ]);
  });
});

describe('inside a cdk8s app', () => {
  it('adds our objects to a real cdk8s chart and synthesizes them', () => {
    const app = new Cdk8sApp({ outdir: outdir() });
    const chart = new Chart(app, 'audit');
    const dynamic = new DynamicBackend(chart, 'Dynamic', { kubernetesVersion: '1.16', sinks: [SEED_SINK] });
    addToCdk8sChart(chart, dynamic, ApiObject);
    const documents = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
    expect(documents.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['AuditSink/mysink', 'ClusterRole/auditsink-writer', 'ClusterRoleBinding/auditsink-writer']);
    expect(documents[0].spec.webhook.clientConfig.url).toBe('https://audit.app');
    app.synth();
    expect(readFileSync(join(app.outdir, 'audit.k8s.yaml'), 'utf8')).toContain('kind: AuditSink');
  });

  it('runs our checks when cdk8s synthesizes (node.addValidation)', () => {
    const app = new Cdk8sApp({ outdir: outdir() });
    const chart = new Chart(app, 'audit');
    const dynamic = new DynamicBackend(chart, 'Dynamic', { kubernetesVersion: '1.25', sinks: [SEED_SINK] });
    addToCdk8sChart(chart, dynamic, ApiObject);
    expect(() => app.synth()).toThrow(/removed in 1\.19/);
  });

  it('adds the ConfigMap of a fluentd pipeline to a cdk8s chart', () => {
    const ours = new App({ outdir: outdir() });
    const pipeline = new FluentdAuditPipeline(ours, 'audit', { kubernetesVersion: '1.30', policy: minimalMetadataPolicy(), fluentd: { inCluster: { configMapName: 'fluentd-audit' } } });
    const app = new Cdk8sApp({ outdir: outdir() });
    const chart = new Chart(app, 'logging');
    addToCdk8sChart(chart, pipeline, ApiObject);
    const [configMap] = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
    expect(configMap).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'fluentd-audit', namespace: 'kube-system' } });
    expect(configMap.data['fluent.conf']).toContain('@type tail');
  });
});

describe('LogstashAuditPipeline', () => {
  it('builds the kubeconfig server from the logstash port', () => {
    const app = new App({ outdir: outdir() });
    new LogstashAuditPipeline(app, 'audit', { kubernetesVersion: '1.20', policy: minimalMetadataPolicy(), logstashAddress: '10.0.0.5', logstash: { port: 9000 } });
    const result = app.synth();
    const kubeconfig = parse(result.files.find((f) => f.path === 'audit/audit-webhook-kubeconfig.yaml')!.contents);
    expect(kubeconfig.clusters[0]).toEqual({ name: 'logstash', cluster: { server: 'http://10.0.0.5:9000' } });
    expect(result.files.find((f) => f.path === 'audit/logstash/pipeline.conf')!.contents).toContain('port => 9000');
  });

  it('is refused when the webhook posts to another port than logstash listens on', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion: '1.20' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new LogstashCollector(target, 'Logstash', { port: 8888 });
    new WebhookBackend(target, 'Webhook', { server: 'http://10.0.0.5:9999' });
    const found = errors(app);
    expect(found.map((p) => `${p.constructPath}:${p.code}:${p.file}`)).toEqual(['c/Logstash:logstash-port:audit-webhook-kubeconfig.yaml']);
    expect(found[0]!.message).toContain('9999');
    expect(found[0]!.message).toContain('8888');
  });

  it('is refused when the scheme or the bound host differ, or nothing posts to logstash', () => {
    const app = new App({ outdir: outdir() });
    const a = new AuditChart(app, 'a', { kubernetesVersion: '1.20' });
    new AuditPolicy(a, 'Policy', { policy: minimalMetadataPolicy() });
    new LogstashCollector(a, 'Logstash', { host: '10.0.0.7' });
    new WebhookBackend(a, 'Webhook', { server: 'https://10.0.0.5:8888' });
    const b = new AuditChart(app, 'b', { kubernetesVersion: '1.20' });
    new AuditPolicy(b, 'Policy', { policy: minimalMetadataPolicy() });
    new LogstashCollector(b, 'Logstash');
    expect(errors(app).map((p) => `${p.constructPath}:${p.code}`)).toEqual(['a/Logstash:logstash-scheme', 'a/Logstash:logstash-host', 'b/Logstash:logstash-no-webhook']);
  });
});

describe('WebhookBackend credential files', () => {
  it('warns about credential files outside the folder kubeadm mounts', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion: '1.30' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new WebhookBackend(target, 'Webhook', { server: 'https://a.example/x', credentials: { caFile: '/etc/kubernetes/pki/ca.crt', tokenFile: '/srv/audit.token' } });
    const warnings = app.validate().filter((p) => p.code === 'credential-file-not-mounted');
    expect(warnings.map((p) => p.path)).toEqual(['credentials.tokenFile']);
  });

  it('does not warn about a file inside a volume another construct of the target contributes', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion: '1.30' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new WebhookBackend(target, 'Webhook', { server: 'https://a.example/x', credentials: { caFile: '/srv/audit/ca.crt', tokenFile: '/srv/other/audit.token' } });
    class AuditCredentials extends Construct implements TargetContributor {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        registerContributor(this);
      }
      contribute(): TargetContribution {
        return { mounts: [{ name: 'audit-credentials', hostPath: '/srv/audit', mountPath: '/srv/audit', type: 'DirectoryOrCreate', readOnly: true }] };
      }
    }
    new AuditCredentials(target, 'Credentials');
    const warnings = app.validate().filter((p) => p.code === 'credential-file-not-mounted');
    expect(warnings.map((p) => p.path)).toEqual(['credentials.tokenFile']);
  });
});

describe('one file per path', () => {
  it('refuses two collectors writing the same file in one target', () => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion: '1.20' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(target, 'Log', { path: '/var/log/kube-audit' });
    new FluentdCollector(target, 'A');
    new FluentdCollector(target, 'B');
    expect(errors(app).map((p) => `${p.code}:${p.file}`)).toEqual(['duplicate-file:fluentd/fluent.conf']);
  });
});

describe('tune results as backend options', () => {
  const flagsOfBackend = (app: App, backend: string) =>
    app.render().files.find((f) => f.path === 'c/apiserver-flags.txt')!.contents.trim().split('\n').filter((f) => f.startsWith(`--audit-${backend}-`) && !f.startsWith('--audit-webhook-config-file') && !f.startsWith('--audit-log-path'));

  it.each([
    // the docs' sizing example: 100 requests/s, 2 stages, 100 events per batch, a 5 s backend
    ['webhook', { backend: 'webhook' as const, requestsPerSecond: 100, stagesPerRequest: 2, eventsPerBatch: 100, backendLatency: 5 }],
    ['log', { backend: 'log' as const, requestsPerSecond: 300, stagesPerRequest: 1, eventsPerBatch: 50, backendLatency: 0.2, averageEventBytes: 3000 }],
  ])("a %s backend given tune()'s settings as they are writes exactly the flags tune() recommends", (backend, input) => {
    const tuned = tune(input);
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion: '1.20' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    if (backend === 'webhook') new WebhookBackend(target, 'Webhook', { server: 'https://a.example/x', ...tuned.settings });
    else new LogBackend(target, 'Log', tuned.settings);
    expect(errors(app)).toEqual([]);
    expect(flagsOfBackend(app, backend).sort()).toEqual([...tuned.flags].sort());
  });
});

describe('the union backend trap at synth', () => {
  // Measured on kube-apiserver 1.20.2: a batch-mode log beside a webhook is never written.
  const chart = (kubernetesVersion: string) => {
    const app = new App({ outdir: outdir() });
    const target = new AuditChart(app, 'c', { kubernetesVersion });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(target, 'Log', { mode: 'batch' });
    new WebhookBackend(target, 'Webhook', { server: 'https://a.example/x' });
    return app;
  };
  const findings = (app: App) => app.validate().map((p) => `${p.severity}:${p.code}@${p.constructPath}:${p.path}`);

  it('stops a release with the trap, naming the log backend', () => {
    expect(findings(chart('1.20.2'))).toEqual(['error:union-log-never-started@c/Log:log.mode', 'warning:union-shutdown-panic@c/Webhook:webhook.mode']);
    expect(() => chart('1.20.2').render()).toThrow(/log file is never written/);
  });

  it('warns where the patch release decides, and says nothing once it is fixed', () => {
    expect(findings(chart('1.24'))).toEqual(['warning:union-log-never-started@c/Log:log.mode', 'warning:union-shutdown-panic@c/Webhook:webhook.mode']);
    expect(findings(chart('v1.24.2'))).toEqual([]);
    expect(findings(chart('1.30'))).toEqual([]);
  });
});
