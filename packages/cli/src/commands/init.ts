// `k8s-gen init`: scaffolds an audit project (package.json, tsconfig, audit.ts from a preset, a
// test) that `k8s-gen synth` runs as it is.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { POLICY_PRESETS, type PolicyPreset } from '@k8s-gen/audit';
import { NEWEST_KUBERNETES_VERSION, parseKubernetesVersion } from '@k8s-gen/runtime';
import { writeFileAtomically } from '@k8s-gen/runtime/node';
import { Option, type Command } from 'commander';
import { CliError } from '../output.js';
import { version } from '../version.js';

/** A preset name. */
export type InitPreset = PolicyPreset['name'];

/** Options of {@link scaffoldProject}. */
export interface ScaffoldOptions {
  preset: InitPreset;
  /** Kubernetes version of the cluster (default: the newest k8s-gen models). */
  kubernetesVersion?: string;
  /**
   * A release folder made by `npm run release` (it holds `release.json`): the project then
   * installs k8s-gen from its tarballs instead of from the registry.
   */
  from?: string;
  /** Overwrite existing files. */
  force?: boolean;
}

/** What a release folder's `release.json` says (the part `init` reads). */
interface ReleaseFolder {
  version: string;
  packages: Array<{ name: string; tarball: string }>;
}

function readRelease(folder: string): ReleaseFolder {
  const file = join(folder, 'release.json');
  let release: ReleaseFolder;
  try {
    release = JSON.parse(readFileSync(file, 'utf8')) as ReleaseFolder;
  } catch (error) {
    throw new CliError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'not JSON'}), so ${folder} is not a k8s-gen release folder`, 'pass the folder `npm run release` wrote, e.g. release/0.1.0', 2);
  }
  if (!Array.isArray(release.packages)) throw new CliError(`${file} lists no packages`, 'make the release again with npm run release', 2);
  return release;
}

/**
 * Where each k8s-gen package comes from: version ranges for the registry, or the tarballs of a
 * release folder, with `overrides` so that the packages' dependencies on each other resolve to
 * the same tarballs.
 */
function packageSources(from: string | undefined, names: readonly string[]): { dependencies: Record<string, string>; overrides?: Record<string, string> } {
  if (from === undefined) return { dependencies: Object.fromEntries(names.map((name) => [name, `^${version}`])) };
  const folder = resolve(from);
  const release = readRelease(folder);
  const tarballs = new Map(release.packages.map((p) => [p.name, `file:${join(folder, p.tarball)}`]));
  const missing = names.filter((name) => !tarballs.has(name));
  if (missing.length > 0) throw new CliError(`${folder} has no ${missing.join(', ')}`, 'make a complete release with npm run release', 2);
  return { dependencies: Object.fromEntries(names.map((name) => [name, tarballs.get(name)!])), overrides: Object.fromEntries(tarballs) };
}

/** The files of a new project, by name. */
export function projectFiles(name: string, options: ScaffoldOptions): Record<string, string> {
  const preset = POLICY_PRESETS.find((candidate) => candidate.name === options.preset);
  if (preset === undefined) throw new CliError(`unknown preset ${options.preset}`, `use one of ${POLICY_PRESETS.map((p) => p.name).join(', ')}`, 2);
  const k8s = options.kubernetesVersion ?? NEWEST_KUBERNETES_VERSION;
  const parsed = parseKubernetesVersion(k8s, { oldest: preset.kubernetesMinors.oldest, newest: preset.kubernetesMinors.newest, subject: `the ${preset.name} preset` });
  if (!parsed.ok) throw new CliError(parsed.message, parsed.fix, 2);
  const sources = packageSources(options.from, ['@k8s-gen/audit', '@k8s-gen/constructs', 'k8s-gen']);
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        private: true,
        type: 'module',
        scripts: { synth: 'k8s-gen synth audit.ts', test: 'vitest run' },
        dependencies: sources.dependencies,
        devDependencies: { '@types/node': '^20.19.0', tsx: '^4.20.0', typescript: '~5.9.3', vitest: '^4.0.0' },
        ...(sources.overrides !== undefined ? { overrides: sources.overrides } : {}),
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        include: ['*.ts'],
      },
      null,
      2,
    )}\n`,
    'audit.ts': `// How this cluster is audited. \`npm run synth\` (k8s-gen synth audit.ts) writes dist/.
// Policy preset: ${preset.summary}.
import { pathToFileURL } from 'node:url';
import { ${preset.builder} } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, LogBackend } from '@k8s-gen/constructs';

/** Builds the construct tree: one kube-apiserver with the policy and a rotated log file. */
export function buildApp(outdir?: string): App {
  const app = new App(outdir === undefined ? {} : { outdir });
  const cluster = new AuditChart(app, 'cluster', { kubernetesVersion: '${k8s}' });
  new AuditPolicy(cluster, 'Policy', { policy: ${preset.builder}() });
  new LogBackend(cluster, 'Log', {
    path: '/var/log/kubernetes/audit/audit.log',
    maxAge: 7,
    maxBackup: 10,
    maxSize: 100,
  });
  return app;
}

// Synthesize when run as a program (k8s-gen synth, or npx tsx audit.ts), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildApp().synth();
}
`,
    'audit.test.ts': `import { describe, expect, it } from 'vitest';
import { buildApp } from './audit.js';

describe('audit app', () => {
  it('has no errors', () => {
    const errors = buildApp().validate().filter((problem) => problem.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('passes the policy file to the apiserver', () => {
    const { files } = buildApp().render();
    const flags = files.find((file) => file.path === 'cluster/apiserver-flags.txt');
    expect(flags?.contents).toContain('--audit-policy-file=/etc/kubernetes/audit-policy.yaml');
  });
});
`,
    // `dist` is a link to the current output (see k8s-gen synth): no trailing slash, or git would not ignore it.
    '.gitignore': 'node_modules/\ndist\n',
    'README.md': `# ${name}

The audit set-up of a Kubernetes cluster, written with k8s-gen.

- \`audit.ts\` describes the apiserver, its audit policy and backends.
- \`npm run synth\` writes \`dist/cluster/\`: the policy, the flags in every form (kubeadm, static Pod patch,
  kind) and a README saying how to apply them.
- \`npm test\` checks the app with vitest.
`,
  };
}

/**
 * Writes a new audit project into `dir` (created if needed). Existing files are left alone unless
 * `force` is set; each file is written atomically.
 */
export function scaffoldProject(dir: string, options: ScaffoldOptions): string[] {
  const target = resolve(dir);
  const files = projectFiles(basename(target).toLowerCase().replace(/[^a-z0-9-]/g, '-') || 'audit', options);
  const clashes = Object.keys(files).filter((name) => existsSync(join(target, name)));
  if (clashes.length > 0 && !options.force) {
    throw new CliError(`${relative(process.cwd(), target) || '.'} already has ${clashes.join(', ')}`, 'choose an empty folder, or pass --force to overwrite them');
  }
  mkdirSync(target, { recursive: true });
  for (const [name, contents] of Object.entries(files)) writeFileAtomically(join(target, name), contents);
  return Object.keys(files);
}

/** Adds `k8s-gen init` to the program. */
export function register(program: Command): void {
  program
    .command('init')
    .description('Create a new audit project: package.json, tsconfig, audit.ts from a policy preset, and a test.')
    .argument('[dir]', 'folder to create the project in', '.')
    .addOption(new Option('--preset <preset>', 'policy to start from').choices(POLICY_PRESETS.map((preset) => preset.name)).default('example'))
    .addOption(new Option('--kubernetes-version <version>', 'Kubernetes version of the cluster').default(NEWEST_KUBERNETES_VERSION, `${NEWEST_KUBERNETES_VERSION}, the newest k8s-gen models`))
    .option('--from <release-folder>', 'install k8s-gen from the tarballs of a release folder (npm run release) instead of the registry')
    .option('--force', 'overwrite existing files')
    .addHelpText(
      'after',
      `
Presets:
${POLICY_PRESETS.map((preset) => `  ${preset.name.padEnd(8)} ${preset.summary}`).join('\n')}

Examples:
  $ k8s-gen init my-cluster-audit --preset gce && cd my-cluster-audit && npm install && npm run synth
  $ k8s-gen init my-cluster-audit --from ../k8s-gen/release/${version}`,
    )
    .action((dir: string, options: { preset: InitPreset; kubernetesVersion: string; from?: string; force?: boolean }) => {
      const written = scaffoldProject(dir, {
        preset: options.preset,
        kubernetesVersion: options.kubernetesVersion,
        ...(options.from !== undefined ? { from: options.from } : {}),
        ...(options.force ? { force: true } : {}),
      });
      for (const name of written) process.stdout.write(`created ${join(dir, name)}\n`);
      process.stdout.write(`next: cd ${dir} && npm install && npm run synth\n`);
    });
}
