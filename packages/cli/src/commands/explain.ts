// `k8s-gen explain --policy p.yaml METHOD URL`: which rule decides a request and why the rules
// before it did not, through the engine's requestFromHttp/explain.
import type { Command } from 'commander';
import { explain, formatExplanation, RequestParseError, requestFromHttp, type HttpRequest } from '@k8s-gen/engine';
import { CliError } from '../output.js';
import { readPolicyFile } from './policy-file.js';

interface ExplainOptions {
  policy: string;
  user?: string;
  group: string[];
  impersonate?: string;
  impersonateGroup: string[];
  unauthenticated?: boolean;
  kubernetesVersion?: string;
  format: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds `k8s-gen explain` to the program. */
export function register(program: Command): void {
  program
    .command('explain')
    .description('Show which audit policy rule decides a request, and why each earlier rule does not match.')
    .argument('<method>', 'HTTP method, e.g. GET, POST, DELETE')
    .argument('<url>', 'request path with optional query, e.g. /api/v1/namespaces/a/secrets/x or "/api/v1/pods?watch=1"')
    .requiredOption('--policy <file>', 'audit policy file (YAML or JSON)')
    .option('--user <name>', 'authenticated user name (default: an anonymous request)')
    .option('--group <group>', 'a group of the user; repeat for several', collect, [])
    .option('--impersonate <user>', 'the user asked for with Impersonate-User (policies still match the impersonator)')
    .option('--impersonate-group <group>', 'a group asked for with Impersonate-Group; repeat for several', collect, [])
    .option('--unauthenticated', 'the credentials were rejected (HTTP 401): no user, only ResponseStarted')
    .option('--kubernetes-version <version>', 'apiserver release to model, e.g. 1.35 (default 1.36)')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen explain --policy audit-policy.yaml GET /api/v1/namespaces/a/secrets/x --user alice --group dev
  $ k8s-gen explain --policy audit-policy.yaml GET "/api/v1/pods?watch=1" --user system:kube-proxy --format json`,
    )
    .action((method: string, url: string, options: ExplainOptions) => {
      if (options.format !== 'text' && options.format !== 'json') {
        throw new CliError(`unknown --format ${options.format}`, 'use --format text or --format json', 2);
      }
      const { policy } = readPolicyFile(options.policy, options.kubernetesVersion);
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
      const explanation = explain(policy, request, options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {});
      if (options.format === 'json') {
        const { rule: _rule, ...result } = explanation.result;
        process.stdout.write(`${JSON.stringify({ ...explanation, result }, null, 2)}\n`);
      } else {
        process.stdout.write(formatExplanation(explanation));
      }
    });
}
