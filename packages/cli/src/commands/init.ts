// `k8s-gen init`: scaffolds an audit project (package.json, tsconfig, audit.ts from a preset, a
// test) that `k8s-gen synth` runs as it is.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../output.js';
import { version } from '../version.js';

/** The policy presets `init` can start from. */
export const INIT_PRESETS = {
  example: { builder: 'docsExamplePolicy', summary: 'the example policy of the Kubernetes auditing docs' },
  minimal: { builder: 'minimalMetadataPolicy', summary: 'every request at Metadata level' },
  gce: { builder: 'gceProductionPolicy', summary: 'the production profile GCE clusters use' },
} as const;

/** A preset name. */
export type InitPreset = keyof typeof INIT_PRESETS;

/** Options of {@link scaffoldProject}. */
export interface ScaffoldOptions {
  preset: InitPreset;
  /** Kubernetes version of the cluster (default 1.30). */
  kubernetesVersion?: string;
  /** Overwrite existing files. */
  force?: boolean;
}

/** The files of a new project, by name. */
export function projectFiles(name: string, options: ScaffoldOptions): Record<string, string> {
  const preset = INIT_PRESETS[options.preset];
  const k8s = options.kubernetesVersion ?? '1.30';
  const range = `^${version}`;
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        private: true,
        type: 'module',
        scripts: { synth: 'k8s-gen synth audit.ts', test: 'vitest run' },
        dependencies: { '@k8s-gen/audit': range, '@k8s-gen/constructs': range, 'k8s-gen': range },
        devDependencies: { '@types/node': '^20.19.0', tsx: '^4.20.0', typescript: '~5.9.3', vitest: '^4.0.0' },
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
    '.gitignore': 'node_modules/\ndist/\n',
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
 * `force` is set; each file is written to a temporary name first and renamed into place.
 */
export function scaffoldProject(dir: string, options: ScaffoldOptions): string[] {
  const target = resolve(dir);
  const files = projectFiles(basename(target).toLowerCase().replace(/[^a-z0-9-]/g, '-') || 'audit', options);
  const clashes = Object.keys(files).filter((name) => existsSync(join(target, name)));
  if (clashes.length > 0 && !options.force) {
    throw new CliError(`${relative(process.cwd(), target) || '.'} already has ${clashes.join(', ')}`, 'choose an empty folder, or pass --force to overwrite them');
  }
  mkdirSync(target, { recursive: true });
  for (const [name, contents] of Object.entries(files)) {
    const path = join(target, name);
    writeFileSync(`${path}.k8s-gen-tmp`, contents);
    renameSync(`${path}.k8s-gen-tmp`, path);
  }
  return Object.keys(files);
}

/** Adds `k8s-gen init` to the program. */
export function register(program: Command): void {
  program
    .command('init')
    .description('Create a new audit project: package.json, tsconfig, audit.ts from a policy preset, and a test.')
    .argument('[dir]', 'folder to create the project in', '.')
    .option('--preset <preset>', `policy to start from: ${Object.keys(INIT_PRESETS).join(', ')}`, 'example')
    .option('--kubernetes-version <version>', 'Kubernetes version of the cluster', '1.30')
    .option('--force', 'overwrite existing files')
    .addHelpText(
      'after',
      `
Presets:
${Object.entries(INIT_PRESETS).map(([name, preset]) => `  ${name.padEnd(8)} ${preset.summary}`).join('\n')}

Example:
  $ k8s-gen init my-cluster-audit --preset gce && cd my-cluster-audit && npm install && npm run synth`,
    )
    .action((dir: string, options: { preset: string; kubernetesVersion: string; force?: boolean }) => {
      if (!(options.preset in INIT_PRESETS)) {
        throw new CliError(`unknown preset ${options.preset}`, `use one of ${Object.keys(INIT_PRESETS).join(', ')}`, 2);
      }
      const written = scaffoldProject(dir, { preset: options.preset as InitPreset, kubernetesVersion: options.kubernetesVersion, ...(options.force ? { force: true } : {}) });
      for (const name of written) process.stdout.write(`created ${join(dir, name)}\n`);
      process.stdout.write(`next: cd ${dir} && npm install && npm run synth\n`);
    });
}
