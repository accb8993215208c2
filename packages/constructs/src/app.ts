// The root of a construct tree and `synth()`, which turns it into one folder per apiserver target.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unsafeCharacterIn } from '@k8s-gen/runtime';
import { readTree, TreeWriteError, writeTreeAtomically } from '@k8s-gen/runtime/node';
import { Construct } from 'constructs';
import { AuditChart } from './chart.js';
import { compareTree, sha256, unifiedDiff, type FileChange, type OutputFile } from './output.js';
import { SynthError, type ConstructProblem } from './problems.js';
import { toJson } from './serialize.js';
import { collectProblems, type SynthFile } from './tree.js';

/** Environment variables through which `k8s-gen synth` passes its options to an app. */
export const SYNTH_ENV = {
  /** Output folder. */
  outdir: 'K8S_GEN_OUTDIR',
  /** `1`: compute the changes, write nothing. */
  dryRun: 'K8S_GEN_DRY_RUN',
  /** `1`: include a unified diff of the changes. */
  diff: 'K8S_GEN_DIFF',
  /** A file the CLI reads back: the synth result or the problems, as JSON. */
  report: 'K8S_GEN_REPORT',
} as const;

/** Options of {@link App}. */
export interface AppProps {
  /** Output folder. Default: `$K8S_GEN_OUTDIR`, else `dist`. */
  readonly outdir?: string;
}

/** Options of {@link App.synth}; each defaults to the app's setting or the `K8S_GEN_*` environment. */
export interface SynthOptions {
  readonly outdir?: string;
  /** Compute what would change without writing anything. */
  readonly dryRun?: boolean;
  /** Include a unified diff against the files on disk (credential files by name only). */
  readonly diff?: boolean;
}

/** One entry of a target's `manifest.json`. */
export interface ManifestEntry {
  readonly path: string;
  readonly purpose: string;
  /**
   * SHA-256 of the file, for every file but credential files: a digest of a short secret (a token)
   * could be reversed by trying candidates, so those carry `null`.
   */
  readonly sha256: string | null;
  /** `0600` for credential files, `0644` otherwise. */
  readonly mode: '0600' | '0644';
  /** Where the file goes on the apiserver's node, if it goes there. */
  readonly nodePath?: string;
}

/** What a synth produced or would produce. */
export interface SynthResult {
  /** Absolute output folder. */
  readonly outdir: string;
  /** False for a dry run, or when nothing changed. */
  readonly written: boolean;
  /** Every output file, by path under the output folder. */
  readonly files: readonly OutputFile[];
  /** How the output differs from what was on disk. */
  readonly changes: readonly FileChange[];
  /** Unified diff, when asked for. */
  readonly diff?: string;
  /** Warnings of the tree (errors throw {@link SynthError}). */
  readonly warnings: readonly ConstructProblem[];
}

/**
 * The root of an audit app. Add {@link AuditChart}s (or scenario constructs such as
 * {@link FluentdAuditPipeline}) to it, then call {@link App.synth}.
 *
 * @example
 * const app = new App();
 * const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.30' });
 * new AuditPolicy(target, 'Policy', { policy: myPolicy });
 * new LogBackend(target, 'Log');
 * app.synth(); // writes dist/cluster/
 */
export class App extends Construct {
  /** Output folder. */
  readonly outdir: string;

  constructor(props: AppProps = {}) {
    super(undefined as unknown as Construct, '');
    this.outdir = props.outdir ?? process.env[SYNTH_ENV.outdir] ?? 'dist';
  }

  /** The apiserver targets of the app, in tree order. */
  get targets(): AuditChart[] {
    return this.node.findAll().filter((construct): construct is AuditChart => construct instanceof AuditChart);
  }

  /** Runs every check of the tree: errors and warnings, each with its construct path. */
  validate(): ConstructProblem[] {
    const problems = collectProblems(this);
    const names = new Map<string, string>();
    for (const target of this.targets) {
      const other = names.get(target.name);
      if (other !== undefined) {
        problems.push({ severity: 'error', code: 'duplicate-target', path: 'name', constructPath: target.node.path, message: `two targets write the folder "${target.name}" (the other is ${other})`, fix: 'give each AuditChart its own name' });
      }
      names.set(target.name, target.node.path);
    }
    if (this.targets.length === 0) {
      problems.push({ severity: 'error', code: 'no-targets', path: '', constructPath: '(app)', message: 'the app has no apiserver target, so there is nothing to synthesize', fix: 'add an AuditChart (or a FluentdAuditPipeline / LogstashAuditPipeline) to the app' });
    }
    return problems;
  }

  /** Every output file, by path under the output folder. Throws {@link SynthError} on errors. */
  render(): { files: OutputFile[]; warnings: ConstructProblem[] } {
    const problems = this.validate();
    if (problems.some((problem) => problem.severity === 'error')) throw new SynthError(problems);
    const files: OutputFile[] = [];
    for (const target of this.targets) {
      const targetFiles = target.files();
      const entries: ManifestEntry[] = targetFiles.map((file) => manifestEntry(file));
      const readme: SynthFile = { path: 'README.md', contents: targetReadme(target, targetFiles), purpose: 'how to apply this folder' };
      entries.push(manifestEntry(readme));
      entries.sort((a, b) => (a.path < b.path ? -1 : 1));
      const manifest = {
        target: target.name,
        apiserver: target.apiserver,
        kubernetesVersion: target.version.text,
        files: entries,
      };
      for (const file of [...targetFiles, readme, { path: 'manifest.json', contents: toJson(manifest), purpose: '' }]) {
        files.push({ path: `${target.name}/${file.path}`, contents: file.contents, secret: 'secret' in file && file.secret === true });
      }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, warnings: problems };
  }

  /**
   * Writes the output folder: one folder per target with its files, a `manifest.json` (purpose and
   * SHA-256 of each file) and a `README.md`. The same app always produces byte-identical files.
   * Nothing is written when the tree has errors ({@link SynthError}, with construct path, file and
   * fix) and the previous output stays untouched; otherwise the new folder is swapped in whole.
   * A folder holding files k8s-gen did not write is never replaced (error `outdir-not-ours`).
   * Under `k8s-gen synth`, options come from the `K8S_GEN_*` environment.
   */
  synth(options: SynthOptions = {}): SynthResult {
    const env = process.env;
    const outdir = resolve(options.outdir ?? env[SYNTH_ENV.outdir] ?? this.outdir);
    const dryRun = options.dryRun ?? env[SYNTH_ENV.dryRun] === '1';
    const wantDiff = options.diff ?? env[SYNTH_ENV.diff] === '1';
    const reportFile = env[SYNTH_ENV.report];
    try {
      const { files, warnings } = this.render();
      const existing = readTree(outdir);
      const foreign = foreignFiles(existing);
      if (foreign.length > 0) {
        throw new SynthError([
          {
            severity: 'error', code: 'outdir-not-ours', path: '', constructPath: '(app)', file: foreign[0] as string,
            message: `${outdir} holds ${foreign.length} file(s) that k8s-gen did not write (e.g. ${foreign[0]}), and synth replaces the whole folder`,
            fix: 'choose an empty folder or a previous k8s-gen output folder (--out or the App outdir)',
          },
        ]);
      }
      const changes = compareTree(files, existing);
      const diff = wantDiff ? unifiedDiff(files, existing, changes) : undefined;
      const changed = changes.some((change) => change.change !== 'unchanged');
      if (!dryRun && changed) writeOutput(outdir, files);
      const result: SynthResult = { outdir, written: !dryRun && changed, files, changes, warnings, ...(diff !== undefined ? { diff } : {}) };
      if (reportFile) writeFileSync(reportFile, JSON.stringify({ ok: true, outdir, written: result.written, changes, diff, warnings, files: files.map((f) => f.path) }));
      return result;
    } catch (error) {
      if (reportFile && error instanceof SynthError) writeFileSync(reportFile, JSON.stringify({ ok: false, problems: error.problems }));
      throw error;
    }
  }
}

/**
 * Swaps the new output in atomically (see `writeTreeAtomically`). A real folder from an older
 * k8s-gen, all of whose files sit in target folders with a manifest, may be converted.
 */
function writeOutput(outdir: string, files: readonly OutputFile[]): void {
  try {
    writeTreeAtomically(outdir, files, { durable: true, replaceFolder: (folder) => foreignFiles(readTree(folder)).length === 0 });
  } catch (error) {
    if (!(error instanceof TreeWriteError)) throw error;
    throw new SynthError([{ severity: 'error', code: `outdir-${error.code}`, path: '', constructPath: '(app)', message: error.message, fix: error.fix }]);
  }
}

/**
 * Files of an existing output folder that are not inside a target folder written by k8s-gen (one
 * with a `manifest.json`). Synth refuses to replace such a folder rather than delete them.
 */
function foreignFiles(existing: ReadonlyMap<string, string>): string[] {
  const targets = new Set([...existing.keys()].filter((path) => /^[^/]+\/manifest\.json$/.test(path)).map((path) => path.split('/')[0]));
  return [...existing.keys()].filter((path) => !targets.has(path.split('/')[0])).sort();
}

function manifestEntry(file: SynthFile): ManifestEntry {
  return {
    path: file.path,
    purpose: file.purpose,
    sha256: file.secret === true ? null : sha256(file.contents),
    mode: file.secret ? '0600' : '0644',
    ...(file.nodePath !== undefined ? { nodePath: file.nodePath } : {}),
  };
}

/**
 * A value as a Markdown code span, fenced with more backticks than it holds in a row. A character
 * that could start a new line (and so a new instruction) was refused where the value entered;
 * meeting one here is a k8s-gen bug.
 */
function codeSpan(value: string): string {
  const bad = unsafeCharacterIn(value, { allowWhiteSpace: false });
  if (bad !== undefined) throw new Error(`k8s-gen bug: a README value holds ${bad.description}; it should have been refused where it entered`);
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${value}${fence}` : `${fence} ${value} ${fence}`;
}

function targetReadme(target: AuditChart, files: readonly SynthFile[]): string {
  const has = (path: string) => files.some((file) => file.path === path);
  const nodeFiles = files.filter((file) => file.nodePath !== undefined);
  const lines = [
    `# ${target.name}: audit set-up for ${target.apiserver} ${target.version.text}`,
    '',
    'Generated by k8s-gen; do not edit by hand. `manifest.json` lists every file with its SHA-256.',
    '',
  ];
  if (nodeFiles.length > 0) {
    const where = target.apiserver === 'aggregated' ? 'every node the aggregated apiserver may run on' : 'every control-plane node';
    lines.push(`1. Copy these files to ${where} (credential files keep mode 0600):`, '');
    for (const file of nodeFiles) lines.push(`   - ${codeSpan(file.path)} -> ${codeSpan(file.nodePath!)}`);
    lines.push('');
  }
  if (target.apiserver === 'aggregated') {
    lines.push(
      '2. Add the flags in `apiserver-flags.txt` to the aggregated apiserver, e.g. with the JSON patch:',
      '',
      '   `kubectl patch deployment <name> -n <namespace> --type json --patch-file deployment.patch.json`',
      '',
    );
  } else {
    lines.push(
      '2. Give the flags and volumes to kube-apiserver in one of these ways:',
      '',
      '   - kubeadm: merge `kubeadm-cluster-configuration.yaml` into your ClusterConfiguration before `kubeadm init` (or `kubeadm upgrade`).',
      '   - existing node: `kubectl patch --local -f /etc/kubernetes/manifests/kube-apiserver.yaml --type json --patch-file kube-apiserver.patch.json -o yaml`, then write the result back; the kubelet restarts the apiserver.',
      '   - kind: `kind create cluster --config kind-cluster.yaml`, run from this folder.',
      '   - anything else: the flags are in `apiserver-flags.txt`, one per line.',
      '',
    );
  }
  if (has('kubernetes/objects.yaml')) lines.push('3. Apply the Kubernetes objects: `kubectl apply -f kubernetes/objects.yaml`.', '');
  const collectorFiles = files.filter((file) => /^(fluentd|logstash)\//.test(file.path));
  if (collectorFiles.length > 0) {
    lines.push('Collector configuration:', '');
    for (const file of collectorFiles) lines.push(`- \`${file.path}\`: ${file.purpose}`);
    lines.push('');
  }
  return lines.join('\n');
}
