// Every hostile case against its construct, and every format synth writes from flags and paths.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimalMetadataPolicy } from '@k8s-gen/audit';
import { checkNodePath } from '@k8s-gen/runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { App, AuditChart, AuditPolicy, LogBackend, registerContributor, SynthError, WebhookBackend, type ConstructProblem, type TargetContributor } from '@k8s-gen/constructs';
import { Construct } from 'constructs';

interface HostileCase {
  name: string;
  category: string;
  construct: 'AuditPolicy' | 'LogBackend' | 'WebhookBackend';
  option: string;
  value: unknown;
  problemPath: string;
  why: string;
}

const cases = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as HostileCase[];
const SERVER = 'https://audit.example.com:8443/events';

/** An option path such as `batch.maxWait` as nested props. */
function props(option: string, value: unknown): Record<string, unknown> {
  const keys = option.split('.');
  return keys.reduceRight<Record<string, unknown>>((inner, key, index) => ({ [key]: index === keys.length - 1 ? value : inner }), {});
}

interface Paths {
  policy?: string;
  log?: string;
  kubeconfig?: string;
}

/** A target with a policy, a log and a webhook backend; one of them may get hostile options. */
function app(options: { hostile?: HostileCase; paths?: Paths; apiserver?: 'kube-apiserver' | 'aggregated'; version?: string } = {}): App {
  const application = new App({ outdir: join(mkdtempSync(join(tmpdir(), 'k8s-gen-hostile-')), 'dist') });
  const target = new AuditChart(application, 'prod', { kubernetesVersion: options.version ?? '1.30', apiserver: options.apiserver ?? 'kube-apiserver' });
  const extra = (construct: HostileCase['construct']) => (options.hostile?.construct === construct ? props(options.hostile.option, options.hostile.value) : {});
  const batch = (construct: HostileCase['construct']) => (options.hostile?.construct === construct && options.hostile.option.startsWith('batch.') ? { mode: 'batch' as const } : {});
  new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy(), ...(options.paths?.policy !== undefined ? { nodePath: options.paths.policy } : {}), ...extra('AuditPolicy') });
  new LogBackend(target, 'Log', { ...(options.paths?.log !== undefined ? { path: options.paths.log } : {}), ...batch('LogBackend'), ...extra('LogBackend') });
  new WebhookBackend(target, 'Webhook', { server: SERVER, ...(options.paths?.kubeconfig !== undefined ? { kubeconfigPath: options.paths.kubeconfig } : {}), ...extra('WebhookBackend') });
  return application;
}

function synthProblems(application: App): ConstructProblem[] {
  try {
    application.synth();
  } catch (error) {
    if (error instanceof SynthError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the corpus', () => {
  it('names every case once, and the README lists every category', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(readme).toContain(`| \`${c.category}\` |`);
  });
});

describe('hostile options are refused at synth, with the option, and nothing is written', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const application = app({ hostile: c });
    const problems = synthProblems(application);
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.constructPath}@${p.path}`)).toEqual([`prod/${c.construct === 'AuditPolicy' ? 'Policy' : c.construct === 'LogBackend' ? 'Log' : 'Webhook'}@${c.problemPath}`]);
    expect(existsSync(application.outdir)).toBe(false);
    expect(() => application.render()).toThrow(SynthError);
  });
});

describe('values that pass the checks come out of every format exactly, the structure unchanged', () => {
  /** Every format of a synth, parsed. */
  function formats(application: App) {
    const files = new Map(application.render().files.map((file) => [file.path, file.contents]));
    const text = (path: string) => {
      const contents = files.get(`prod/${path}`);
      if (contents === undefined) throw new Error(`no ${path}`);
      return contents;
    };
    return { files, text };
  }

  const expectedFlags = (paths: Required<Paths>) => [
    `--audit-policy-file=${paths.policy}`,
    `--audit-log-path=${paths.log}`,
    `--audit-webhook-config-file=${paths.kubeconfig}`,
  ];

  function checkEveryFormat(paths: Required<Paths>, version = '1.30'): void {
    const flags = expectedFlags(paths);
    const { text } = formats(app({ paths, version }));
    expect(text('apiserver-flags.txt')).toBe(`${flags.join('\n')}\n`);
    // README: the same lines as with the default paths, each file's line naming its node path.
    const readme = text('README.md').split('\n');
    expect(readme.length).toBe(formats(app({ version })).text('README.md').split('\n').length);
    for (const [file, path] of [['audit-policy.yaml', paths.policy], ['audit-webhook-kubeconfig.yaml', paths.kubeconfig]] as const) {
      expect(readme.filter((line) => line.startsWith(`   - \`${file}\` -> `) && line.includes(path))).toHaveLength(1);
    }
    // kubeadm: exactly the three extraArgs (a map before v1beta4, a list from it), each value as
    // given; the volumes point at the paths.
    const kubeadm = parse(text('kubeadm-cluster-configuration.yaml'), { version: '1.1' });
    const extraArgs = kubeadm.apiServer.extraArgs as Record<string, string> | Array<{ name: string; value: string }>;
    const args = Array.isArray(extraArgs) ? extraArgs.map(({ name, value }) => `--${name}=${value}`) : Object.entries(extraArgs).map(([name, value]) => `--${name}=${value}`);
    expect(args).toEqual(flags);
    // (volumes come in the order the constructs were added)
    expect(kubeadm.apiServer.extraVolumes.map((volume: { hostPath: string }) => volume.hostPath).sort()).toEqual([paths.policy, paths.kubeconfig, paths.log.slice(0, paths.log.lastIndexOf('/'))].sort());
    // kind: the nested kubeadm patch is the same document, and the mounts point at the node paths.
    const kind = parse(text('kind-cluster.yaml'), { version: '1.1' });
    expect(parse(kind.nodes[0].kubeadmConfigPatches[0], { version: '1.1' })).toEqual(kubeadm);
    expect(kind.nodes[0].extraMounts.map((mount: { containerPath: string }) => mount.containerPath).sort()).toEqual([paths.policy, paths.kubeconfig].sort());
    // static Pod patch: one operation per flag, mount and volume, the flags as given.
    const patch = JSON.parse(text('kube-apiserver.patch.json')) as Array<{ path: string; value: unknown }>;
    expect(patch.filter((op) => op.path === '/spec/containers/0/command/-').map((op) => op.value)).toEqual(flags);
    expect(patch).toHaveLength(flags.length + 6);
    // Deployment patch of an aggregated apiserver.
    const deployment = JSON.parse(formats(app({ paths, apiserver: 'aggregated' })).text('deployment.patch.json')) as Array<{ path: string; value: unknown }>;
    expect(deployment.filter((op) => op.path === '/spec/template/spec/containers/0/args/-').map((op) => op.value)).toEqual(flags);
  }

  it.each([
    ['YAML indicators', { policy: '/etc/kubernetes/a:b#c.yaml', log: '/var/log/*x/&y/!z/audit.log', kubeconfig: "/etc/kubernetes/'q\"-{k}[v]" }],
    ['Markdown and shell characters', { policy: '/etc/kubernetes/`x`$(id).yaml', log: '/var/log/%TAG/---/audit.log', kubeconfig: '/etc/kubernetes/|>@,?' }],
    ['YAML words and numbers', { policy: '/on', log: '/0777/yes.log', kubeconfig: '/etc/kubernetes/~' }],
  ])('%s', (_name, paths) => {
    checkEveryFormat(paths, '1.30');
    checkEveryFormat(paths, '1.31');
  });

  it('for any path: either checkNodePath refuses it and synth stops there, or every format carries it exactly', () => {
    const character = fc.constantFrom('a', '/', ':', '#', "'", '"', '`', '-', ' ', '\n', '\u2028', '\u0085', '\t', '\u0000', '*', '&', '{', '!', 'é');
    fc.assert(
      fc.property(fc.string({ unit: character, maxLength: 12 }).map((tail) => `/etc/kubernetes/${tail}`), (policy) => {
        const paths = { policy, log: '/var/log/kubernetes/audit/audit.log', kubeconfig: '/etc/kubernetes/audit-webhook-kubeconfig' };
        if (checkNodePath(policy, 'nodePath') !== undefined) {
          expect(synthProblems(app({ paths })).filter((p) => p.severity === 'error').map((p) => p.path)).toEqual(['nodePath']);
        } else if (policy !== paths.kubeconfig) {
          checkEveryFormat(paths);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('defence in depth', () => {
  it('a target with flag errors never writes its flags, even when asked directly', () => {
    const application = app({ hostile: cases[0] });
    const target = application.targets[0]!;
    expect(() => target.files()).toThrow(/k8s-gen bug/);
  });

  it('node paths of files from any contributor are checked too', () => {
    class Consumer extends Construct implements TargetContributor {
      contribute() {
        return { files: [{ path: 'extra.txt', contents: 'x\n', purpose: 'extra', nodePath: '/etc/kubernetes/x\n- injected' }] };
      }
    }
    const application = app();
    const consumer = new Consumer(application.targets[0]!, 'Extra');
    registerContributor(consumer);
    const problems = synthProblems(application).filter((p) => p.severity === 'error');
    expect(problems.map((p) => [p.code, p.path, p.file])).toEqual([['unsafe-value', 'nodePath', 'extra.txt']]);
  });
});
