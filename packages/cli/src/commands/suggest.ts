// `k8s-gen suggest`: the policy that keeps what the requirements ask for with the fewest bytes,
// measured on an audit log, with its proof. A thin shell over the engine's suggestPolicy.
import { stat } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatSuggestProof, parseKeep, profileRequirements, REQUIREMENT_PROFILES, suggestPolicy, type Requirement, type RequirementProfile } from '@k8s-gen/engine';
import type { Policy } from '@k8s-gen/audit';
import { writeFileAtomically } from '@k8s-gen/runtime/node';
import { formatOption, kubernetesVersionOption, repeatableOption } from '../options.js';
import { CliError, EXIT_CODES, formatProblem } from '../output.js';
import { readPolicyFile } from './policy-file.js';

interface SuggestCliOptions {
  profile: RequirementProfile[];
  keep: string[];
  current?: string;
  output?: string;
  kubernetesVersion: string;
  format: 'text' | 'json';
}

/** Registers `k8s-gen suggest`. */
export function register(program: Command): void {
  program
    .command('suggest')
    .description('Write the audit policy that keeps what profiles and --keep rules require with the fewest bytes, measured on an audit log, with its proof.')
    .argument('<log>', 'audit log (JSON lines or EventLists, plain or .gz), ideally written at RequestResponse')
    .addOption(
      new Option('--profile <name>', `requirements by name: ${Object.entries(REQUIREMENT_PROFILES).map(([name, what]) => `${name} (${what})`).join('; ')}; repeat for several`)
        .choices(Object.keys(REQUIREMENT_PROFILES))
        .argParser((value: string, previous: string[] | undefined) => {
          if (!(value in REQUIREMENT_PROFILES)) throw new InvalidArgumentError(`Allowed choices are ${Object.keys(REQUIREMENT_PROFILES).join(', ')}.`);
          return [...new Set([...(previous ?? []), value])];
        })
        .default([], 'none'),
    )
    .addOption(repeatableOption('--keep <rule>', 'a requirement SELECTOR:LEVEL, :=LEVEL (exactly) or :<=LEVEL (at most), e.g. secrets:=Metadata or user=system:admin:RequestResponse'))
    .option('--current <policy>', 'the policy in use, so "before" is what it writes for the log instead of the log as recorded')
    .option('-o, --output <file>', 'write the policy here (atomically) and print the proof to stdout; without it the policy goes to stdout and the proof to stderr')
    .addOption(kubernetesVersionOption('Kubernetes release the policy is for (its matching rules, omitManagedFields from 1.23)'))
    .addOption(formatOption(['text', 'json'], 'text (the policy YAML and the proof) or json (policy, rules, proof and problems in one document)'))
    .addHelpText(
      'after',
      `
--keep syntax: SELECTOR:BOUND, the bound after the last ":" (user names may hold ":").
  BOUND     LEVEL (at least), =LEVEL (exactly) or <=LEVEL (at most); LEVEL is None, Metadata, Request or RequestResponse
  SELECTOR  * (every request), or terms joined by "," that must all hold:
            RESOURCE[/SUBRESOURCE][.GROUP]   e.g. secrets, pods/exec, deployments.apps
            KEY=VALUE[|VALUE...]             KEY: user, usergroup, verb, namespace, group, resource, name, url
When requirements disagree, the lower upper bound wins; secrets, configmaps and token bodies are never logged.

The log limits what can be measured: a Metadata log has no bodies, so sizes at Request and above are
estimates; requests the recording policy dropped are not in it at all. The proof says which apply.
Exit code 1 when a requirement cannot be met (nothing is written).

Examples:
  $ k8s-gen suggest audit.log --profile cis -o audit-policy.yaml
  $ k8s-gen suggest audit.log.gz --profile cis --profile falco --keep 'user=system:admin:RequestResponse' > policy.yaml
  $ k8s-gen suggest audit.log --profile cis --keep 'url=/healthz*|/readyz*|/livez*:<=None' --current /etc/kubernetes/audit-policy.yaml
  $ k8s-gen suggest audit.log --keep 'group=apps,resource=deployments,verb=create:Request' --format json`,
    )
    .action(async (log: string, options: SuggestCliOptions) => {
      const versionOptions = { kubernetesVersion: options.kubernetesVersion };
      const requirements: Requirement[] = options.profile.flatMap((profile) => profileRequirements(profile, versionOptions));
      let keepErrors = 0;
      options.keep.forEach((text, index) => {
        const parsed = parseKeep(text, index, versionOptions);
        for (const problem of parsed.problems) process.stderr.write(`${formatProblem(problem)}\n`);
        if (parsed.requirement === undefined) keepErrors += 1;
        else requirements.push(parsed.requirement);
      });
      if (keepErrors > 0) throw new CliError(`${keepErrors} --keep rule${keepErrors === 1 ? ' is' : 's are'} not valid (above)`, 'fix them (k8s-gen suggest --help shows the syntax)', EXIT_CODES.usage);
      if (requirements.length === 0) throw new CliError('no requirements: nothing says what to keep', 'give --profile cis, --profile falco or --keep rules', EXIT_CODES.usage);
      await stat(log).catch((error: NodeJS.ErrnoException) => {
        throw new CliError(`cannot read audit log ${log}: ${error.code ?? error.message}`, 'pass the path of an audit log file', EXIT_CODES.usage);
      });
      let current: Policy | undefined;
      if (options.current !== undefined) current = (await readPolicyFile(options.current, options.kubernetesVersion)).policy;

      let result;
      try {
        result = await suggestPolicy({ log, requirements, ...versionOptions, ...(current !== undefined ? { current } : {}) });
      } catch (error) {
        throw new CliError(`cannot read ${log}: ${(error as Error).message}`, 'check that the file is a (gzipped) audit log');
      }
      const proof = formatSuggestProof(result, log);
      if (options.format === 'json') {
        const { proof: full, ...rest } = result;
        // The cost report's breakdowns are `k8s-gen cost --format json`'s business; the summary stays.
        const summary = full === undefined ? undefined : { before: full.before, after: full.after, lint: full.lint, verdicts: full.verdicts };
        process.stdout.write(`${JSON.stringify({ ...rest, ...(summary ? { proof: summary } : {}) }, null, 2)}\n`);
      } else if (result.ok && options.output === undefined) {
        process.stdout.write(result.yaml!);
        process.stderr.write(proof);
      } else {
        process.stdout.write(proof);
      }
      if (!result.ok) {
        process.exitCode = EXIT_CODES.findings;
        return;
      }
      if (options.output !== undefined) {
        try {
          writeFileAtomically(options.output, result.yaml!);
        } catch (error) {
          throw new CliError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the folder exists and is writable', EXIT_CODES.usage);
        }
        if (options.format === 'text') process.stdout.write(`\nWrote ${options.output}.\n`);
      }
    });
}
