/**
 * `@k8s-gen/runtime/node`: the parts of the shared runtime that need Node's file system, kept out
 * of the main entry so browser bundles (the docs playground) never pull them in.
 *
 * @packageDocumentation
 */
export { generationStore, readTree, treePathProblem, TreeWriteError, writeTreeAtomically, type TreeFile, type WriteTreeOptions, type WriteTreeResult } from './tree-writer.js';
export { writeFileAtomically, type WriteFileOptions } from './file-writer.js';
