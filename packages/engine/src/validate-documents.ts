/**
 * Checking a file of unknown kind: tells audit policies, kubeconfigs and AuditSink manifests
 * apart by their content and hands the whole file to the reader of its kind, which knows how its
 * consumer reads documents (kube-apiserver and client-go read only the first one, `kubectl
 * apply` every one). What is none of the three is an error, never "not checked".
 */
import { formatPath, kubernetesVersionProblem, parsePolicy, type Problem } from '@k8s-gen/audit';
import { parseAuditSinks } from '@k8s-gen/auditregistration';
import { closestName, parseKubeconfig, validateKubeconfig } from '@k8s-gen/kubeconfig';
import { readInputFile, readYaml, type ReadLimits, type YamlDocumentRead, type YamlRead } from '@k8s-gen/yaml';

/** What a document was recognised as. */
export type DocumentKind = 'policy' | 'kubeconfig' | 'auditsink';

/** Options of {@link validateDocuments} and {@link validateFile}. */
export interface ValidateDocumentsOptions {
  /** File name put into every problem. */
  file?: string;
  /** The release to check against, like `1.20`; each validator's default when left out. */
  kubernetesVersion?: string;
  /** For policies: kube-apiserver's exact verdict, with what it drops as warnings (see `validate`). */
  asApiserver?: boolean;
  /** Reading limits (size, depth, aliases); see `@k8s-gen/yaml`'s `DEFAULT_READ_LIMITS`. */
  limits?: Partial<ReadLimits>;
}

/** The findings for one file. */
export interface DocumentsReport {
  /** The file name, when one was given. */
  file?: string;
  /** What was checked: one kind for a policy or kubeconfig, one per document of a manifest. */
  kinds: DocumentKind[];
  /** Every problem, with file, path, line and column where known. */
  problems: Problem[];
  /** False when the file could not be read at all (missing, a folder, no permission). */
  readable: boolean;
}

type Fields = Record<string, unknown>;

/** The value of the first key that names `name` whatever its case, as Go's decoder finds `kind`. */
function caseless(document: Fields, name: string): unknown {
  const key = Object.keys(document).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : document[key];
}

/**
 * Recognises a decoded document by its apiVersion and kind (a misspelt policy header still
 * counts as a policy), or by the keys a kubeconfig has; undefined for anything else.
 *
 * @example
 * ```ts
 * detectKind({ apiVersion: 'audit.k8s.io/v1', kind: 'Polcy', rules: [] }); // 'policy'
 * detectKind({ apiVersion: 'apps/v1', kind: 'Deployment' }); // undefined
 * ```
 */
export function detectKind(document: unknown): DocumentKind | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const fields = document as Fields;
  const apiVersion = caseless(fields, 'apiVersion');
  const kind = caseless(fields, 'kind');
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (kind === 'AuditSink' || kind === 'AuditSinkList' || group === 'auditregistration.k8s.io') return 'auditsink';
  // A policy with a misspelt header is still a policy, so that its problems are reported.
  const nearly = (value: unknown, name: string): boolean => typeof value === 'string' && closestName(value, [name]) !== undefined;
  if (kind === 'PolicyList' || nearly(kind, 'Policy') || nearly(group, 'audit.k8s.io') || ('rules' in fields && kind === undefined)) return 'policy';
  if (kind === 'Config' || ['clusters', 'contexts', 'current-context', 'users', 'preferences'].some((key) => key in fields)) return 'kubeconfig';
  return undefined;
}

/**
 * The first document that holds anything, read as YAML, or as JSON when YAML's character rules
 * refuse a file that a policy reader takes for JSON; else the problems of the YAML reading.
 */
function firstDocument(input: string | Uint8Array, limits: Partial<ReadLimits> | undefined): { document?: YamlDocumentRead; others: YamlDocumentRead[]; problems: Problem[] } {
  const withContent = (read: YamlRead): YamlDocumentRead[] => read.documents.filter((candidate) => candidate.data !== null && candidate.data !== undefined);
  const yaml = readYaml(input, limits ? { limits } : {});
  const [document, ...others] = withContent(yaml);
  if (document !== undefined) return { document, others, problems: [] };
  const json = readYaml(input, { format: 'yaml-or-json', ...(limits ? { limits } : {}) });
  const [jsonDocument] = json.format === 'json' ? withContent(json) : [];
  if (jsonDocument !== undefined) return { document: jsonDocument, others: [], problems: [] };
  const problems = [...yaml.problems, ...yaml.documents.flatMap((candidate) => candidate.problems)];
  return { others: [], problems: problems.map(({ at, ...problem }) => ({ ...problem, path: formatPath(at) })) };
}

/**
 * Checks one file's content, bytes or text: recognises whether it is an audit policy, a
 * kubeconfig or an AuditSink manifest and runs that package's reader and validator on it, so
 * every problem has the reader's line and column.
 *
 * - A policy goes to `parsePolicy` (kube-apiserver's verdict; `asApiserver` for its exact one).
 * - A kubeconfig goes to `parseKubeconfig` and `validateKubeconfig` as an audit webhook's.
 * - An AuditSink manifest (any document an AuditSink) goes to `parseAuditSinks`, which checks
 *   every document; other objects beside the sinks are named as not checked.
 * - An empty file, and anything else, is an error: nothing passes unchecked.
 *
 * Never throws; a bad `kubernetesVersion` is a `kubernetes-version` problem.
 *
 * @example
 * ```ts
 * const report = validateDocuments(readFileSync('audit-policy.yaml'), { file: 'audit-policy.yaml', kubernetesVersion: '1.20' });
 * report.kinds; // ['policy']
 * ```
 */
export function validateDocuments(input: string | Uint8Array, options: ValidateDocumentsOptions = {}): DocumentsReport {
  const { file, kubernetesVersion, limits } = options;
  const withFile = (problem: Problem): Problem => (file === undefined || problem.file !== undefined ? problem : { ...problem, file });
  const report = (kinds: DocumentKind[], problems: Problem[]): DocumentsReport => ({ ...(file !== undefined ? { file } : {}), kinds, problems: problems.map(withFile), readable: true });
  const versionProblem = kubernetesVersion === undefined ? undefined : kubernetesVersionProblem(kubernetesVersion);
  if (versionProblem !== undefined) return report([], [versionProblem]);
  const shared = { ...(file !== undefined ? { file } : {}), ...(limits ? { limits } : {}) };
  const release = kubernetesVersion !== undefined ? { kubernetesVersion } : {};

  const { document, others, problems: refused } = firstDocument(input, limits);
  if (document === undefined) {
    if (refused.length > 0) return report([], refused);
    return report([], [{ severity: 'error', code: 'empty-file', path: '', message: 'The file holds no YAML document (it is empty, or only comments); kube-apiserver refuses such a policy file, and it is no kubeconfig or AuditSink either.', fix: 'Write the policy, kubeconfig or AuditSink into it, or leave the file out.' }]);
  }
  // A manifest for kubectl apply may start with the objects its AuditSinks need.
  const kind = detectKind(document.data) ?? (others.some((other) => detectKind(other.data) === 'auditsink') ? 'auditsink' : undefined);
  switch (kind) {
    case 'policy':
      return report(['policy'], parsePolicy(input, { ...shared, ...release, asApiserver: options.asApiserver ?? false }).problems);
    case 'kubeconfig': {
      const parsed = parseKubeconfig(input, shared);
      const problems = [...parsed.problems];
      if (parsed.config !== undefined) {
        for (const problem of validateKubeconfig(parsed.config, { forAuditWebhook: true, ...release, ...(file !== undefined ? { file } : {}) })) problems.push({ ...problem, ...parsed.locate(problem.path) });
      }
      return report(['kubeconfig'], problems);
    }
    case 'auditsink': {
      const parsed = parseAuditSinks(input, { ...shared, ...release });
      const sinks = parsed.sinks.length > 0 ? parsed.sinks.map((): DocumentKind => 'auditsink') : ['auditsink' as const];
      return report(sinks, parsed.problems);
    }
    default: {
      const fields = document.data as Fields;
      const typed = typeof fields === 'object' && !Array.isArray(fields) && typeof caseless(fields, 'kind') === 'string';
      return report([], [
        {
          severity: 'error',
          code: 'unknown-document',
          path: '',
          message: typed
            ? `This is a ${String(caseless(fields, 'kind'))}, not an audit Policy, a kubeconfig or an AuditSink, so k8s-gen cannot check it.`
            : 'This is not an audit Policy, a kubeconfig or an AuditSink, so k8s-gen cannot check it.',
          fix: typed ? 'Check it with kubectl apply --dry-run=server, and pass k8s-gen only audit policies, webhook kubeconfigs and AuditSink manifests.' : 'Pass audit policy files, webhook kubeconfigs or AuditSink manifests.',
          ...document.start,
        },
      ]);
    }
  }
}

/**
 * Reads a file (never more of it than the size limit) and checks it with
 * {@link validateDocuments}. A file that cannot be read gives a `file-unreadable` problem and
 * `readable: false`. Never throws.
 *
 * @example
 * ```ts
 * const report = await validateFile('dist/prod/audit-policy.yaml', { kubernetesVersion: '1.30' });
 * if (report.problems.some((p) => p.severity === 'error')) process.exitCode = 1;
 * ```
 */
export async function validateFile(path: string, options: Omit<ValidateDocumentsOptions, 'file'> = {}): Promise<DocumentsReport> {
  const read = await readInputFile(path, options.limits?.maxBytes === undefined ? {} : { maxBytes: options.limits.maxBytes });
  if (!read.ok) {
    const { at: _at, ...problem } = read.problem;
    return { file: path, kinds: [], problems: [{ ...problem, path: '', file: path }], readable: read.systemError === undefined };
  }
  return validateDocuments(read.bytes, { ...options, file: path });
}
