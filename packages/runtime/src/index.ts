/**
 * `@k8s-gen/runtime`: the one shared runtime below every k8s-gen package and the code the
 * generator emits: problems as data, the builder base and comment side table, zod issues as
 * problems, names and their order, Kubernetes versions, and checks for values that reach emitted
 * files. No dependencies; safe in browsers (the file writers are in `@k8s-gen/runtime/node`).
 *
 * @packageDocumentation
 */
export { formatPath, ProblemCollector, summarizeProblems, type HasSeverity, type Problem } from './problem.js';
export { Builder, commentOf, setComment, type Buildable } from './builder.js';
export { problemsFromZod, type ProblemsFromZodOptions, type ValidationIssue } from './zod-problems.js';
export { closestName, compareStrings, editDistance, isDnsLabel, isDnsSubdomain, type ClosestNameOptions } from './names.js';
export {
  findKubernetesRelease,
  kubernetesMinor,
  NEWEST_KUBERNETES_MINOR,
  NEWEST_KUBERNETES_VERSION,
  parseKubernetesVersion,
  type KubernetesVersion,
  type KubernetesVersionRange,
  type KubernetesVersionResult,
} from './kubernetes-version.js';
export { checkEmittedText, checkNodePath, checkSecretText, unsafeCharacterIn, type NodePathOptions, type UnsafeCharacter } from './emitted-values.js';
