/**
 * `@k8s-gen/generator`: JSON Schemas and Kubernetes OpenAPI specs to TypeScript types, zod schemas
 * and fluent builders. See README.md for the pipeline (sources, model, emitters).
 *
 * @packageDocumentation
 */
export { generate, importSpec, buildModel } from './generate.js';
export type { GenerateOptions, GenerateProgress, GenerateSummary, GeneratedDependency, ImportSpecOptions, SourceInput } from './generate.js';
export type { RuntimeSource } from './model/naming.js';
export { GeneratorError, isGeneratorError, type GeneratorIssue } from './errors.js';
export { parseGroupVersion, parseSourceArgument, PINNED_SOURCE_SYNTAX, type GroupVersionSelection } from './arguments.js';
export { checkModel } from './model/check.js';
export * from './model/model.js';
export {
  apiVersionOf,
  builderName,
  childBuilderName,
  factoryName,
  groupVersionIdentifier,
  groupVersionKey,
  locateDefinition,
  schemaName,
  selectionKey,
  toMemberName,
  toTypeName,
  valuesName,
} from './model/naming.js';
export { emitModel, emitStructures, generatedHeader, printStructureWith } from './emitters/index.js';
export type { EmitOptions, PrinterName } from './emitters/index.js';
export { readInput } from './sources/input.js';
export { readJsonSchema, isAuthoredSchema } from './sources/json-schema.js';
export { readKubernetesSpec, detectKubernetesVersion } from './sources/kubernetes.js';
export { mergeVersionedModels, compareKubeVersions } from './sources/merge.js';
