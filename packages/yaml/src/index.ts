/**
 * `@k8s-gen/yaml`: the YAML mechanics the k8s-gen SDK packages share. Writing: strings quoted so
 * that YAML 1.1 readers (go-yaml v2 behind kube-apiserver and kubectl) and YAML 1.2 readers read
 * them back unchanged, comments as inert `#` lines, keys in an order the caller gives. Reading:
 * one reader, `readYaml`, with go-yaml v2's encoding, character, alias, merge and scalar rules,
 * reading limits on size, depth and aliases, and the line and column of a path.
 *
 * @packageDocumentation
 */
export { fromYamlComment, printComment, toYamlComment } from './comment-text.js';
export { escapedDoubleQuoted, escapedStringTag, isPlainSafe } from './strings.js';
export { knownKeysFirst, type PathSegment, type StringQuoting, writeManifestYaml, writeYaml, type WriteYamlOptions } from './write.js';
export { goYamlQuoting, goYamlScalars } from './go-yaml.js';
export { DEFAULT_READ_LIMITS, MAX_READ_DEPTH, type ReadLimits } from './limits.js';
export { type ReadProblem, type SourcePosition } from './problem.js';
export { withoutNullFields } from './go-data.js';
export { readYaml, type ReadYamlOptions, type YamlDocumentRead, type YamlRead } from './read-yaml.js';
export { type InputFile, readInputFile } from './read-file.js';
export { itemComment, keyText, nodeAtPath, type NodeAtPathOptions, pairFor, pathSegments, type PathTarget } from './read.js';
