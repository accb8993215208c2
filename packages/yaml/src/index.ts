/**
 * `@k8s-gen/yaml`: the YAML mechanics the k8s-gen SDK packages share. Writing: strings quoted so
 * that YAML 1.1 readers (go-yaml v2 behind kube-apiserver and kubectl) and YAML 1.2 readers read
 * them back unchanged, comments as inert `#` lines, keys in an order the caller gives. Reading:
 * go-yaml v2's scalar rules and the line and column of a path.
 *
 * @packageDocumentation
 */
export { fromYamlComment, printComment, toYamlComment } from './comment-text.js';
export { escapedStringTag, isPlainSafe } from './strings.js';
export { knownKeysFirst, type PathSegment, type StringQuoting, writeYaml, type WriteYamlOptions } from './write.js';
export { goYamlQuoting, goYamlScalars } from './go-yaml.js';
export {
  type GoYamlDocument,
  itemComment,
  keyText,
  nodeAtPath,
  type NodeAtPathOptions,
  parseGoYaml,
  type ParseGoYamlOptions,
  type PathTarget,
  pairFor,
} from './read.js';
