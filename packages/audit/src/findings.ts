/**
 * Findings: problems whose location is still a list of path segments, so the YAML reader can
 * look the node up before the path is turned into text.
 */
import { formatPath, type Problem } from '@k8s-gen/runtime';

/** One step into a document: a field name or a list index. */
export type PathSegment = string | number;

/** A {@link Problem} before its path is formatted and its source position is known. */
export interface Finding extends Omit<Problem, 'path' | 'file' | 'line' | 'column'> {
  /** Where the problem is, as segments (`['rules', 3, 'resources', 0, 'group']`). */
  at: readonly PathSegment[];
  /**
   * Which part of the YAML to point at: the key itself (unknown or duplicated fields) or the value
   * under it (everything else). A value that is missing is located at the closest existing parent.
   */
  pointsAt: 'key' | 'value';
  /** For a value of the wrong type: the type the schema wanted, so readers can tailor the fix. */
  expected?: string;
  /**
   * Set on what kube-apiserver accepts but drops or misreads (an unknown field, a field of a later
   * release, a null list item): an error by default, a warning when checking as the apiserver.
   */
  ignoredByApiserver?: true;
}

/** Turns a finding into the public {@link Problem} shape, without a source position. */
export function toProblem(finding: Finding): Problem {
  const { at, pointsAt: _pointsAt, expected: _expected, ignoredByApiserver: _ignored, ...rest } = finding;
  return { ...rest, path: formatPath(at) };
}

/** A short description of a value for messages: `the number 511`, `a list`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    case 'number':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}
