// Benchmark: the bytes of the policy `suggest` writes against two reference policies (the GCE
// production profile and the example policy of the Kubernetes auditing docs) at equal
// requirements, all replayed through `costReplay` on the same RequestResponse sample in this run.
//
//   npm run build && npx tsx bench/suggest/run.ts
//   (without a build: npx tsx --conditions=@k8s-gen/source bench/suggest/run.ts)
//
// Equal requirements, made fair: the required requests are those the cis and falco profiles name
// (their floors aside: "every request" is no resource); a reference's requirements are what it
// keeps of them at each level (requirementsFromPolicy: for every rule above None and every named
// requirement, the requests both cover, at least at the rule's level), plus the credential cap
// every suggested policy has. Two comparisons:
// - each reference against the policy suggested for that reference's own requirements;
// - both references against the policy suggested for the union of their requirements, which keeps
//   at least what either keeps of the required requests (so it asks more than either).
// Every policy is checked against the requirements it is compared at; a reference's misses are
// printed (a rule's level is asked over its whole intersection with a requirement, so a reference
// can miss its own requirements where an earlier rule of it decides part lower).
// Target: suggested bytes < reference bytes in every row, with every requirement met.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsExamplePolicy, gceProductionPolicy, type Policy } from '@k8s-gen/audit';
import { checkRequirements, costReplay, formatBytes, profileRequirements, requirementsFromPolicy, suggestPolicy, withCredentialCap, type Requirement } from '@k8s-gen/engine';

const here = fileURLToPath(import.meta.url);
const samplePath = path.resolve(path.dirname(here), '../../../shared/samples/audit-log-all-requestresponse.jsonl');

const named = [...profileRequirements('cis'), ...profileRequirements('falco')].filter((requirement) => !requirement.floor);
const references: Array<[string, Policy]> = [
  ['gce', gceProductionPolicy().build()],
  ['docs-example', docsExamplePolicy().build()],
];
const own = new Map(references.map(([name, policy]) => [name, requirementsFromPolicy(policy, named, name)]));
const referenceBytes = new Map<string, number>();
for (const [name, policy] of references) referenceBytes.set(name, (await costReplay({ policy, log: samplePath })).candidate.bytes);

let ok = true;
async function compare(label: string, requirements: Requirement[], against: Array<[string, Policy]>): Promise<void> {
  const all = withCredentialCap(requirements);
  const result = await suggestPolicy({ log: samplePath, requirements: all });
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (!result.ok) {
    console.log(`${label}: suggest refused the requirements: ${errors.map((problem) => problem.code).join(', ')}`);
    ok = false;
    return;
  }
  const verdicts = result.proof!.verdicts;
  const met = verdicts.filter((verdict) => verdict.met).length;
  const suggested = result.proof!.after.bytes;
  console.log(`\n${label}: ${all.length} requirements (${result.problems.length} capped by the credential cap or one another, see suggest's warnings)`);
  console.log(`  suggested     ${formatBytes(suggested).padStart(10)}  ${String(result.proof!.after.events).padStart(5)} events  ${result.policy!.rules.length} rules, ${met}/${verdicts.length} met, ${result.proof!.lint.length} lint findings`);
  if (met !== verdicts.length || result.proof!.lint.length > 0) ok = false;
  for (const [name, policy] of against) {
    const bytes = referenceBytes.get(name)!;
    const missed = checkRequirements(policy, all).filter((verdict) => !verdict.met).map((verdict) => verdict.requirement.id);
    console.log(`  ${name.padEnd(13)} ${formatBytes(bytes).padStart(10)}  ratio suggested/${name} ${(suggested / bytes).toFixed(3)}; ${all.length - missed.length}/${all.length} met${missed.length > 0 ? ` (misses ${missed.slice(0, 4).join(', ')}${missed.length > 4 ? ` +${missed.length - 4}` : ''})` : ''}`);
    if (suggested >= bytes) ok = false;
  }
}

console.log(`${path.basename(samplePath)}; the references write ${references.map(([name]) => `${name} ${formatBytes(referenceBytes.get(name)!)}`).join(', ')}`);
for (const [name, policy] of references) await compare(`at ${name}'s requirements`, own.get(name)!, [[name, policy]]);
await compare('at the union of both', [...own.values()].flat(), references);
console.log(ok ? '\ntarget met: smaller than the references in every row, every requirement met' : '\ntarget NOT met');
process.exitCode = ok ? 0 : 1;
