// Suggest: the policy that keeps what CIS asks for, and what a team adds, with the fewest bytes.
// Record a sample at RequestResponse first, then pass that log's path as the first argument.
import { formatSuggestProof, parseKeep, profileRequirements, suggestPolicy, type Requirement } from '@k8s-gen/engine';

const logFile = process.argv[2] ?? 'audit.log';

const keeps: Requirement[] = [];
for (const [index, text] of ['user=system:admin:RequestResponse', 'url=/healthz*|/readyz*|/livez*:<=None'].entries()) {
  const parsed = parseKeep(text, index);
  if (parsed.requirement === undefined) throw new Error(parsed.problems.map((problem) => problem.message).join('; '));
  keeps.push(parsed.requirement);
}

const result = await suggestPolicy({ log: logFile, requirements: [...profileRequirements('cis'), ...keeps], kubernetesVersion: '1.30' });
if (!result.ok) {
  console.log(formatSuggestProof(result, logFile));
  process.exit(1);
}
const { before, after, verdicts } = result.proof!;
console.log(`${result.policy!.rules.length} rules; ${before.events} events -> ${after.events}; ${verdicts.filter((verdict) => verdict.met).length} of ${verdicts.length} requirements met`);
for (const rule of result.rules) {
  console.log(`rules[${rule.index}] ${result.policy!.rules[rule.index]!.level.padEnd(15)} ${(100 * rule.input.byteShare).toFixed(1).padStart(5)}% of the input's bytes  for ${rule.requirements.join(', ') || '(none)'}`);
}
