/**
 * The settings tree shared by the languages whose components take nested YAML options (Vector,
 * the OpenTelemetry Collector): text, numbers, booleans, lists and tables, plus three typed
 * nodes a plain string can never turn into: an environment reference, a template (text the tool
 * expands per event) and code (a program the tool compiles). Each language gives the rules for
 * its keys and text, and how it writes references; this module converts plain option objects
 * into the tree, checks a tree, and maps it to and from the YAML layer.
 */
import type { Problem } from '@k8s-gen/runtime';
import { refusal, throwIfRefused } from './problems.js';
import { quoted } from './text.js';
import { yamlMap, yamlScalar, type YamlEntry, type YamlNode } from './yaml-config.js';

/** `${NAME}` (or the tool's own form): an environment variable the tool reads when it loads the config. */
export interface SettingEnvRef {
  readonly $node: 'env';
  readonly name: string;
}

/** Text the tool expands per event (Vector's `{{ field }}` and strftime templates). */
export interface SettingTemplate {
  readonly $node: 'template';
  readonly text: string;
}

/** A program the tool compiles (a VRL `source`), written as a block literal. */
export interface SettingCode {
  readonly $node: 'code';
  readonly text: string;
}

/** A list of values. */
export interface SettingList {
  readonly $node: 'list';
  readonly items: readonly SettingValue[];
}

/** One key of a table. */
export interface SettingEntry {
  readonly key: string;
  readonly value: SettingValue;
}

/** A table of keys, in order. */
export interface SettingTable {
  readonly $node: 'table';
  readonly entries: readonly SettingEntry[];
}

/** Any value of the tree. */
export type SettingValue = string | number | boolean | SettingEnvRef | SettingTemplate | SettingCode | SettingList | SettingTable;

/** What the builders take: plain values, arrays and objects, and the typed nodes. */
export type SettingInput = string | number | boolean | SettingEnvRef | SettingTemplate | SettingCode | SettingList | SettingTable | readonly SettingInput[] | { readonly [key: string]: SettingInput };

/** The rules a language gives for its settings. */
export interface SettingRules {
  /** Prefix of problem codes, e.g. `vector`. */
  readonly language: string;
  /** Problem of a table key, or undefined. */
  keyProblem(key: unknown, path: string): Problem | undefined;
  /** Problem of plain text, or undefined. */
  textProblem(text: unknown, path: string): Problem | undefined;
  /** Problem of a template's text, or undefined; undefined `templateProblem` means the language has none. */
  templateProblem?(text: unknown, path: string): Problem | undefined;
  /** Problem of code text, or undefined; undefined means the language has none. */
  codeProblem?(text: unknown, path: string): Problem | undefined;
  /** Problem of an environment variable name, or undefined. */
  envNameProblem(name: unknown, path: string): Problem | undefined;
}

const NODE_KINDS = new Set(['env', 'template', 'code', 'list', 'table']);

/** Whether `value` is one of the typed nodes. */
export function isSettingNode(value: unknown): value is Exclude<SettingValue, string | number | boolean> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && NODE_KINDS.has((value as { $node?: string }).$node ?? '');
}

/**
 * Converts plain options into the tree, checking every key and value where it enters; throws a
 * `CollectorConfigError` naming the path of the first refused one.
 */
export function settingValue(input: SettingInput, path: string, rules: SettingRules): SettingValue {
  const value = convert(input, path, rules);
  const problems = settingProblems(value, path, rules);
  throwIfRefused(problems[0]);
  return value;
}

function convert(input: SettingInput, path: string, rules: SettingRules): SettingValue {
  if (Array.isArray(input)) return { $node: 'list', items: input.map((item: SettingInput, i) => convert(item, `${path}[${i}]`, rules)) };
  if (isSettingNode(input)) {
    if (input.$node === 'list') return { $node: 'list', items: input.items.map((item, i) => convert(item, `${path}[${i}]`, rules)) };
    if (input.$node === 'table') return { $node: 'table', entries: input.entries.map((e) => ({ key: e.key, value: convert(e.value, `${path}.${e.key}`, rules) })) };
    return input;
  }
  if (typeof input === 'object' && input !== null) {
    return { $node: 'table', entries: Object.entries(input as Record<string, SettingInput>).map(([key, value]) => ({ key, value: convert(value, `${path}.${key}`, rules) })) };
  }
  return input as string | number | boolean;
}

/** Every problem of a tree (maybe built without the builders), each at its path. */
export function settingProblems(value: unknown, path: string, rules: SettingRules): Problem[] {
  const problems: Problem[] = [];
  const walk = (node: unknown, at: string, depth: number): void => {
    if (depth > 32) {
      problems.push(refusal(`${rules.language}-depth`, at, 'the settings are nested more than 32 deep', 'flatten the settings'));
      return;
    }
    if (typeof node === 'string') {
      const problem = rules.textProblem(node, at);
      if (problem !== undefined) problems.push(problem);
      return;
    }
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) problems.push(refusal(`${rules.language}-value`, at, `${node} is not a finite number`, 'pass a finite number'));
      return;
    }
    if (typeof node === 'boolean') return;
    if (!isSettingNode(node)) {
      problems.push(refusal(`${rules.language}-value`, at, `${quoted(node)} is not a setting value`, 'pass text, a number, a boolean, a list, a table or a typed node'));
      return;
    }
    switch (node.$node) {
      case 'env': {
        const problem = rules.envNameProblem(node.name, at);
        if (problem !== undefined) problems.push(problem);
        return;
      }
      case 'template': {
        const problem = rules.templateProblem === undefined ? refusal(`${rules.language}-template`, at, `${rules.language} has no templates`, 'pass plain text') : rules.templateProblem(node.text, at);
        if (problem !== undefined) problems.push(problem);
        return;
      }
      case 'code': {
        const problem = rules.codeProblem === undefined ? refusal(`${rules.language}-code`, at, `${rules.language} settings hold no code`, 'pass plain text') : rules.codeProblem(node.text, at);
        if (problem !== undefined) problems.push(problem);
        return;
      }
      case 'list':
        if (!Array.isArray(node.items)) problems.push(refusal(`${rules.language}-value`, at, 'the list has no items array', 'build lists from arrays'));
        else node.items.forEach((item, i) => walk(item, `${at}[${i}]`, depth + 1));
        return;
      case 'table': {
        if (!Array.isArray(node.entries)) {
          problems.push(refusal(`${rules.language}-value`, at, 'the table has no entries array', 'build tables from objects'));
          return;
        }
        const seen = new Set<string>();
        for (const entry of node.entries) {
          const keyAt = `${at}.${String(entry?.key)}`;
          const keyProblem = rules.keyProblem(entry?.key, keyAt);
          if (keyProblem !== undefined) problems.push(keyProblem);
          else if (seen.has(entry.key)) problems.push(refusal(`${rules.language}-duplicate-key`, keyAt, `the key ${entry.key} appears twice`, 'keep one of the two'));
          seen.add(entry?.key);
          walk(entry?.value, keyAt, depth + 1);
        }
      }
    }
  };
  walk(value, path, 0);
  return problems;
}

/** How a language writes the text of its nodes into YAML scalars. */
export interface SettingWriter {
  /** The scalar text of plain text (after the language's escaping, e.g. `$` → `$$`). */
  text(text: string): string;
  /** The scalar text of an environment reference. */
  env(name: string): string;
  /** The scalar text of a template. */
  template(text: string): string;
  /** The block text of code. */
  code(text: string): string;
}

/** The YAML node of a setting value. */
export function settingToYaml(value: SettingValue, writer: SettingWriter): YamlNode {
  if (typeof value === 'string') return yamlScalar(writer.text(value));
  if (typeof value === 'number' || typeof value === 'boolean') return yamlScalar(value);
  switch (value.$node) {
    case 'env':
      return yamlScalar(writer.env(value.name));
    case 'template':
      return yamlScalar(writer.template(value.text));
    case 'code':
      return yamlScalar(writer.code(value.text), true);
    case 'list':
      return { kind: 'list', items: value.items.map((item) => ({ value: settingToYaml(item, writer) })) };
    case 'table':
      return yamlMap(value.entries.map((e): YamlEntry => ({ key: e.key, value: settingToYaml(e.value, writer) })));
  }
}

/** How a language reads YAML scalars back into setting values (its interpolation rules). */
export type SettingScalarReader = (text: string, path: string) => SettingValue | Problem;

/**
 * The setting value of a YAML node; `scalar` reads text scalars (numbers and booleans are kept),
 * `isCode(path)` says which keys hold code and `code` reads those. Problems are added to `problems`.
 */
export function settingFromYaml(node: YamlNode, path: string, scalar: SettingScalarReader, isCode: (path: string) => boolean, problems: Problem[], code: SettingScalarReader = (text) => ({ $node: 'code', text })): SettingValue {
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string') return node.value;
    if (isCode(path)) {
      const read = code(node.value, path);
      if (typeof read === 'object' && read !== null && 'severity' in read) {
        problems.push(read);
        return '';
      }
      return read as SettingValue;
    }
    const read = scalar(node.value, path);
    if (typeof read === 'object' && read !== null && 'severity' in read) {
      problems.push(read);
      return '';
    }
    return read as SettingValue;
  }
  if (node.kind === 'list') return { $node: 'list', items: node.items.map((item, i) => settingFromYaml(item.value, `${path}[${i}]`, scalar, isCode, problems, code)) };
  return { $node: 'table', entries: node.entries.map((e) => ({ key: e.key, value: settingFromYaml(e.value, path === '' ? e.key : `${path}.${e.key}`, scalar, isCode, problems, code) })) };
}

/**
 * The value at a path of keys in a table, if any.
 *
 * @example
 * ```ts
 * settingAt(table, 'decoding', 'codec'); // 'json'
 * ```
 */
export function settingAt(value: SettingValue | undefined, ...keys: string[]): SettingValue | undefined {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || current.$node !== 'table') return undefined;
    current = current.entries.find((e) => e.key === key)?.value;
  }
  return current;
}

/** The texts of a list of plain strings (for include lists, inputs), skipping other items. */
export function settingTexts(value: SettingValue | undefined): string[] {
  if (typeof value !== 'object' || value === null || value.$node !== 'list') return [];
  return value.items.filter((item): item is string => typeof item === 'string');
}
