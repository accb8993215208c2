// What both playground tests feed it: a policy whose rules sit on known lines, and an alias bomb.

/** Rules at lines 6, 9, 12 and 15; the first three have comments, as the rule labels show. */
export const fixturePolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  # secrets: who and when, never their content
  - level: Metadata
    resources: [{ group: "", resources: [secrets] }]
  # pod logs
  - level: Request
    resources: [{ group: "", resources: [pods/log] }]
  # changes to deployments
  - level: RequestResponse
    verbs: [create, update, patch, delete]
    resources: [{ group: apps, resources: [deployments] }]
  - level: None
`;

/** A YAML "billion laughs": nine levels of ten aliases each, 10^9 values once expanded. */
export function aliasBomb(): string {
  const names = 'abcdefghi';
  let text = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
  for (let i = 1; i < names.length; i++) text += `${names[i]}: &${names[i]} [${Array(10).fill(`*${names[i - 1]}`).join(',')}]\n`;
  return text;
}
