/**
 * `@k8s-gen/core`: types, zod schemas and builders of the Kubernetes core/v1 API (and the
 * apimachinery meta/v1 types it refers to), generated at build time from an official spec.
 *
 * Everything of core/v1 is exported flat (`pod()`, `PodSchema`, `Pod`); every group/version is
 * also a namespace (`metaV1.ObjectMeta`) and a subpath (`@k8s-gen/core/meta/v1`).
 *
 * @packageDocumentation
 */
export * from './generated/index.js';
