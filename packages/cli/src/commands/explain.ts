// `k8s-gen explain --policy p.yaml METHOD URL`: which rule decides a request and why the rules
// before it did not, through the engine's requestFromHttp/explain; `explain --policy p.yaml --log
// FILE`: the same for the most frequent kinds of request of an audit log (engine's explainLog).
import type { Command } from 'commander';
import { explain, explainLog, formatExplanation, RequestParseError, requestFromHttp, type AuditLogFormat, type Explanation, type HttpRequest, type LogExplanation } from '@k8s-gen/engine';
import type { Policy } from '@k8s-gen/audit';
import { CliError, EXIT_CODES, printableLines } from '../output.js';
import { formatOption, inputFormatOption, kubernetesVersionOption, repeatableOption } from '../options.js';
import { auditLogSize, readingAuditLog, reportAuditLogFormat } from './audit-log-file.js';
import { positiveInteger } from './numeric-options.js';
import { readPolicyFile, type PolicyFile } from './policy-file.js';

interface ExplainOptions {
  policy: string;
  user?: string;
  group: string[];
  impersonate?: string;
  impersonateGroup: string[];
  unauthenticated?: boolean;
  kubernetesVersion: string;
  format: 'text' | 'json';
  log?: string;
  auditId?: string;
  limit: number;
  inputFormat: AuditLogFormat | 'auto';
}

/** An explanation for JSON: the matched rule is already named by its index. */
function jsonExplanation(explanation: Explanation): Omit<Explanation, 'result'> & { result: Omit<Explanation['result'], 'rule'> } {
  const { rule: _rule, ...result } = explanation.result;
  return { ...explanation, result };
}

/** The options that describe one request, which `--log` takes from the log instead. */
const REQUEST_OPTIONS = ['user', 'impersonate', 'unauthenticated'] as const;

/** Adds `k8s-gen explain` to the program. */
export function register(program: Command): void {
  program
    .command('explain')
    .description('Show which audit policy rule decides a request, or each kind of request of an audit log, and why each earlier rule does not match.')
    .argument('[method]', 'HTTP method, e.g. GET, POST, DELETE (not with --log)')
    .argument('[url]', 'request path with optional query, e.g. /api/v1/namespaces/a/secrets/x or "/api/v1/pods?watch=1" (not with --log)')
    .requiredOption('--policy <file>', 'audit policy file (YAML or JSON)')
    .option('--log <file>', 'explain the requests of this audit log (the apiserver\'s, or an EKS, GKE or AKS export), the most frequent kinds first')
    .option('--audit-id <id>', 'with --log: only the request with this audit ID')
    .option('--limit <n>', 'with --log: how many kinds of request to explain', positiveInteger, 20)
    .addOption(inputFormatOption())
    .option('--user <name>', 'authenticated user name (default: an anonymous request)')
    .addOption(repeatableOption('--group <group>', 'a group of the user'))
    .option('--impersonate <user>', 'the user asked for with Impersonate-User (policies still match the impersonator)')
    .addOption(repeatableOption('--impersonate-group <group>', 'a group asked for with Impersonate-Group'))
    .option('--unauthenticated', 'the credentials were rejected (HTTP 401): no user, only ResponseStarted')
    .addOption(kubernetesVersionOption('apiserver release to model, e.g. 1.35'))
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen explain --policy audit-policy.yaml GET /api/v1/namespaces/a/secrets/x --user alice --group dev
  $ k8s-gen explain --policy audit-policy.yaml GET "/api/v1/pods?watch=1" --user system:kube-proxy --format json
  $ k8s-gen explain --policy audit-policy.yaml --log eks-audit.jsonl --limit 5
  $ k8s-gen explain --policy audit-policy.yaml --log audit.log --audit-id 3f0c9a52-8d1e-4b7a-9c2f-6e5d4b3a2f10`,
    )
    .action(async (method: string | undefined, url: string | undefined, options: ExplainOptions) => {
      if (options.log !== undefined) {
        const given = [method, ...REQUEST_OPTIONS.filter((name) => options[name] !== undefined).map((name) => `--${name}`), ...(options.group.length > 0 ? ['--group'] : [])].filter((x) => x !== undefined);
        if (given.length > 0) throw new CliError(`--log takes the requests from the log, so ${given.join(', ')} cannot be given with it`, 'give either --log FILE or METHOD URL with the request options', EXIT_CODES.usage);
        await explainAuditLog(options.log, await readPolicyFile(options.policy, options.kubernetesVersion), options);
        return;
      }
      if (options.auditId !== undefined) throw new CliError('--audit-id picks a request of a log', 'give --log FILE with it', EXIT_CODES.usage);
      if (method === undefined || url === undefined) throw new CliError('explain needs METHOD and URL, or --log FILE', 'e.g. k8s-gen explain --policy audit-policy.yaml GET /api/v1/pods', EXIT_CODES.usage);
      const { policy, locate } = await readPolicyFile(options.policy, options.kubernetesVersion);
      const http: HttpRequest = {
        method,
        url,
        ...(options.user !== undefined ? { user: options.user } : {}),
        groups: options.group,
        ...(options.impersonate !== undefined ? { impersonate: { user: options.impersonate, groups: options.impersonateGroup } } : {}),
        ...(options.unauthenticated ? { authenticationFailed: true } : {}),
      };
      let request;
      try {
        request = requestFromHttp(http);
      } catch (error) {
        if (error instanceof RequestParseError) throw new CliError(error.message, error.fix);
        throw error;
      }
      const explanation = explain(policy, request, { kubernetesVersion: options.kubernetesVersion });
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify(jsonExplanation(explanation), null, 2)}\n`);
      } else {
        process.stdout.write(printableLines(formatExplanation(explanation, { policy, locate })));
      }
    });
}

async function explainAuditLog(log: string, { policy, locate }: PolicyFile, options: ExplainOptions): Promise<void> {
  await auditLogSize(log);
  const report = await readingAuditLog(log, () =>
    explainLog(policy, log, {
      kubernetesVersion: options.kubernetesVersion,
      limit: options.limit,
      format: options.inputFormat,
      ...(options.auditId !== undefined ? { auditID: options.auditId } : {}),
    }),
  );
  reportAuditLogFormat(log, report.format);
  if (options.auditId !== undefined && report.requests === 0) {
    throw new CliError(`no request of ${log} has the audit ID ${options.auditId}`, 'copy the auditID of an event of the log');
  }
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ...report, explained: report.explained.map((kind) => ({ ...kind, explanation: jsonExplanation(kind.explanation) })) }, null, 2)}\n`);
    return;
  }
  process.stdout.write(printableLines(renderLogExplanation(log, report, policy, locate)));
}

function renderLogExplanation(log: string, report: LogExplanation, policy: Policy, locate: PolicyFile['locate']): string {
  const parts = [`${log}: ${report.requests} request(s) of ${report.kinds} kind(s)${report.explained.length < report.kinds ? `, the ${report.explained.length} most frequent explained` : ''}${report.otherRequests > 0 ? ` (${report.otherRequests} more not grouped)` : ''}\n`];
  for (const kind of report.explained) {
    parts.push(`\n${kind.count} request(s) like audit ID ${kind.auditID}:\n${formatExplanation(kind.explanation, { policy, locate })}`);
  }
  return parts.join('');
}
