/**
 * `@k8s-gen/generator`: JSON Schemas and Kubernetes OpenAPI specs to TypeScript types, zod schemas
 * and fluent builders. See README.md for the pipeline (sources, model, emitters).
 *
 * @packageDocumentation
 */
export { generate, importSpec, buildModel } from './generate.js';
export type { GenerateOptions, GenerateProgress, GenerateSummary, ImportSpecOptions, SourceInput } from './generate.js';
export { GeneratorError, isGeneratorError } from './errors.js';
export * from './model/model.js';
export { emitModel, emitStructures, generatedHeader, printStructureWith } from './emitters/index.js';
export type { EmitOptions, PrinterName } from './emitters/index.js';
export { readInput } from './sources/input.js';
export { readJsonSchema, isAuthoredSchema } from './sources/json-schema.js';
export { readKubernetesSpec, detectKubernetesVersion, locateDefinition } from './sources/kubernetes.js';
export { mergeVersionedModels, compareKubeVersions } from './sources/merge.js';
export { writeTreeAtomically } from './write.js';
