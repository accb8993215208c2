// The one place where the constructs call the typed SDK packages, so their APIs are adapted in
// one spot.
import { parsePolicy, toYaml as auditToYaml, validate, type Policy } from '@k8s-gen/audit';
import { NEWEST_KUBERNETES_MINOR } from '@k8s-gen/runtime';
import type { Problem } from './problems.js';

/** An audit.k8s.io/v1 Policy as plain data. */
export type PolicyDocument = Policy;

/** Serializes a policy for the apiserver, with the comments recorded by the builder. */
export function policyToYaml(policy: PolicyDocument): string {
  return auditToYaml(policy);
}

/**
 * Checks a policy the way the apiserver of the given minor version loads it. The SDK validator
 * knows 1.12 on (when audit.k8s.io/v1 appeared); older targets are checked as 1.12.
 */
export function validatePolicy(policy: PolicyDocument, minor: number): Problem[] {
  return validate(policy, { kubernetesVersion: `1.${Math.max(minor, 12)}` });
}

/** Parses policy YAML text; problems name the file. */
export function parsePolicyText(text: string, file: string, minor = NEWEST_KUBERNETES_MINOR): { policy?: PolicyDocument; problems: Problem[] } {
  const result = parsePolicy(text, { file, kubernetesVersion: `1.${Math.max(minor, 12)}` });
  return result.ok ? { policy: result.policy, problems: result.problems } : { problems: result.problems };
}
