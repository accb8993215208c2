// The model check on small fake inputs, one per kind of problem: each fake schema or spec holds
// just enough to show the problem, and the check must name where in the input it is and the fix.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkModel, generate, GeneratorError, readJsonSchema, readKubernetesSpec, type ApiModel } from '../src/index.js';

const work = resolve(import.meta.dirname, '../test-output/model-check');
beforeAll(() => mkdirSync(work, { recursive: true }));

/** A fake authored schema of group `fake.k8s.io/v1` holding the given `$defs`. */
function fakeSchema(defs: Record<string, unknown>, group = 'fake.k8s.io'): unknown {
  return { 'x-k8s-gen-group': group, 'x-k8s-gen-version': 'v1', $defs: defs };
}

/** The issues of a fake authored schema, as `path: message; fix` lines. */
function issuesOfSchema(defs: Record<string, unknown>, group?: string): string[] {
  return issuesOf(readJsonSchema(fakeSchema(defs, group), 'fake.json'));
}

/** The issues of a fake Kubernetes spec whose `core/v1` is selected. */
function issuesOfSpec(definitions: Record<string, unknown>): string[] {
  return issuesOf(readKubernetesSpec({ definitions }, { name: 'fake-swagger.json', select: ['core/v1'] }));
}

function issuesOf(model: ApiModel): string[] {
  return checkModel(model).map((issue) => `${issue.path}: ${issue.message}; ${issue.fix}`);
}

const struct = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('the model check', () => {
  it('passes a model without problems, and the three authored schemas', async () => {
    expect(issuesOfSchema({ Thing: struct({ name: { type: 'string' } }) })).toEqual([]);
    for (const file of ['audit.k8s.io_v1.json', 'auditregistration.k8s.io_v1alpha1.json', 'kubeconfig_v1.json']) {
      const { readFileSync } = await import('node:fs');
      const document: unknown = JSON.parse(readFileSync(resolve(import.meta.dirname, '../schemas', file), 'utf8'));
      expect(checkModel(readJsonSchema(document, file))).toEqual([]);
    }
  });

  it('refuses two definitions that become one type name', () => {
    expect(issuesOfSchema({ 'foo-bar': struct({}), FooBar: struct({}) })).toEqual([
      '#/$defs/FooBar: two types are named `FooBar` in fake.k8s.io/v1: #/$defs/foo-bar and #/$defs/FooBar; rename one of the two definitions',
    ]);
  });

  it('refuses an inline object hoisted onto the name of a definition', () => {
    expect(issuesOfSchema({ Policy: struct({ spec: struct({ a: { type: 'string' } }) }), PolicySpec: struct({}) })).toContain(
      '#/$defs/PolicySpec: two types are named `PolicySpec` in fake.k8s.io/v1: #/$defs/Policy/properties/spec and #/$defs/PolicySpec; rename one of the two definitions',
    );
  });

  it('refuses Kubernetes definitions of two Go packages that land on one name', () => {
    expect(
      issuesOfSpec({
        'io.k8s.api.core.v1.Thing': struct({ a: { type: 'string' } }),
        'io.k8s.other.core.v1.Thing': struct({ b: { type: 'string' } }),
        'io.k8s.api.core.v1.Holder': struct({ one: { $ref: '#/definitions/io.k8s.api.core.v1.Thing' }, two: { $ref: '#/definitions/io.k8s.other.core.v1.Thing' } }),
      })[0],
    ).toBe(
      '#/definitions/io.k8s.other.core.v1.Thing: two types are named `Thing` in core/v1: #/definitions/io.k8s.api.core.v1.Thing and #/definitions/io.k8s.other.core.v1.Thing; rename one of the two definitions',
    );
  });

  it('refuses a generated name that another type already has', () => {
    expect(issuesOfSchema({ Pod: struct({}), PodSchema: struct({}) })).toEqual([
      '#/$defs/PodSchema: `PodSchema` would name both the schema of type Pod (#/$defs/Pod) and type PodSchema (#/$defs/PodSchema) in fake.k8s.io/v1; rename one of the two definitions',
    ]);
    expect(issuesOfSchema({ Level: { enum: ['A'] }, LevelValues: struct({}) })[0]).toBe(
      '#/$defs/LevelValues: `LevelValues` would name both the values of enum Level (#/$defs/Level) and type LevelValues (#/$defs/LevelValues) in fake.k8s.io/v1; rename one of the two definitions',
    );
    expect(issuesOfSchema({ FieldMetadata: struct({}) })).toEqual([
      '#/$defs/FieldMetadata: `FieldMetadata` would name both type FieldMetadata (#/$defs/FieldMetadata) and the field metadata interface in fake.k8s.io/v1; rename one of the two definitions',
    ]);
  });

  it('refuses a child builder class that is also another builder', () => {
    const issues = issuesOfSchema({
      Policy: struct({ rules: { type: 'array', items: { $ref: '#/$defs/Rule' }, 'x-k8s-gen-builder': { child: 'rule' } } }),
      Rule: struct({}),
      RuleInPolicy: struct({}),
    });
    expect(issues).toEqual([
      '#/$defs/RuleInPolicy: `RuleInPolicyBuilder` would name both the rule() child builder of type Policy (#/$defs/Policy) and the builder of type RuleInPolicy (#/$defs/RuleInPolicy) in fake.k8s.io/v1; rename one of the two definitions',
    ]);
  });

  it('refuses type names that differ only in case, whose files collide on macOS and Windows', () => {
    expect(issuesOfSchema({ Abc: struct({}), ABc: struct({}) })).toEqual([
      '#/$defs/ABc: types `Abc` and `ABc` differ only in case, so their files collide on case-insensitive file systems (macOS, Windows); rename one of the two definitions',
    ]);
  });

  it('refuses a type named like a runtime name every builder imports', () => {
    expect(issuesOfSchema({ Builder: struct({}) })).toEqual([
      "#/$defs/Builder: a type named `Builder` clashes with the runtime's `Builder`, which every generated builder imports; rename the definition",
    ]);
  });

  it('refuses members that collide after camel-casing', () => {
    expect(issuesOfSchema({ Config: struct({ 'current-context': { type: 'string' }, currentContext: { type: 'string' } }) })).toEqual([
      '#/$defs/Config/properties/currentContext: `current-context` and `currentContext` of Config both become the builder method `currentContext()`; rename one of the two properties',
    ]);
    expect(issuesOfSpec({ 'io.k8s.api.core.v1.Thing': struct({ build: { type: 'string' }, buildField: { type: 'string' } }) })).toEqual([
      '#/definitions/io.k8s.api.core.v1.Thing/properties/buildField: `build` and `buildField` of Thing both become the builder method `buildField()`; rename one of the two properties',
    ]);
  });

  it("refuses child builder methods that clash with the builder's members", () => {
    const withChild = (child: string, extra: Record<string, unknown> = {}) =>
      issuesOfSchema({ Policy: struct({ rules: { type: 'array', items: { $ref: '#/$defs/Rule' }, 'x-k8s-gen-builder': { child } }, ...extra }), Rule: struct({ items: { type: 'array', items: { type: 'string' } } }) });
    expect(withChild('end')).toEqual([
      "#/$defs/Policy/properties/rules/x-k8s-gen-builder/child: the child builder method `end()` of Policy.rules clashes with the builder's own member of that name; pick another method name",
    ]);
    expect(withChild('name', { name: { type: 'string' } })).toEqual([
      '#/$defs/Policy/properties/rules/x-k8s-gen-builder/child: the child builder method `name()` of Policy.rules clashes with the setter of `name` of that name; pick another method name',
    ]);
    expect(withChild('items')).toEqual([
      '#/$defs/Policy/properties/rules/x-k8s-gen-builder/child: the child builder method `items()` of Policy.rules clashes with the list field `items` of Rule; pick another method name',
    ]);
  });

  it('refuses a child builder over entries that are not objects', () => {
    expect(
      issuesOfSchema({ Policy: struct({ levels: { type: 'array', items: { $ref: '#/$defs/Level' }, 'x-k8s-gen-builder': { child: 'level' } } }), Level: { enum: ['A', 'B'] } }),
    ).toEqual([
      '#/$defs/Policy/properties/levels/x-k8s-gen-builder/child: a child builder needs a list of objects, but the entries of `levels` are enum values; remove `x-k8s-gen-builder` from the field',
    ]);
  });

  it('refuses dangling references', () => {
    const model = readJsonSchema(fakeSchema({ Thing: struct({ other: { $ref: '#/$defs/Other' } }), Other: struct({}) }), 'fake.json');
    model.groupVersions[0]!.types = model.groupVersions[0]!.types.filter((t) => t.name !== 'Other');
    expect(issuesOf(model)).toEqual([
      '#/$defs/Thing/properties/other: refers to `Other` of fake.k8s.io/v1, which no input defines; define `Other`, or give the input that defines fake.k8s.io/v1 as well',
    ]);
  });

  it('refuses duplicate wire names', () => {
    const model = readJsonSchema(fakeSchema({ Thing: struct({ name: { type: 'string' } }) }), 'fake.json');
    const thing = model.groupVersions[0]!.types[0]!;
    if (thing.kind === 'struct') thing.fields.push({ ...thing.fields[0]!, memberName: 'name2' });
    expect(issuesOf(model)).toEqual(['#/$defs/Thing/properties/name: `name` is a field of Thing twice; keep one of the two']);
  });

  it('refuses shapes the emitters cannot express', () => {
    expect(issuesOfSchema({ Thing: struct({ either: { oneOf: [] } }) })).toEqual([
      '#/$defs/Thing/properties/either: is a union of no types (an empty `oneOf` or `anyOf`), which no value matches; list at least one type, or remove the field',
    ]);
    const model = readJsonSchema(fakeSchema({ Level: { enum: ['A'] } }), 'fake.json');
    const level = model.groupVersions[0]!.types[0]!;
    if (level.kind === 'enum') level.values = [];
    expect(issuesOf(model)).toEqual(['#/$defs/Level: enum `Level` has no values; list at least one value']);
  });

  it('refuses group and version names that would leave their folder', () => {
    expect(issuesOfSchema({ Thing: struct({}) }, '../../etc')).toEqual([
      '#/x-k8s-gen-group: the group `../../etc` cannot name an output folder (only lower-case letters, digits, `-` and `.` between them); name the group like an API group, e.g. `example.k8s.io`',
    ]);
    const model = readJsonSchema({ 'x-k8s-gen-group': 'fake.k8s.io', 'x-k8s-gen-version': 'v1/../x', $defs: { Thing: struct({}) } }, 'fake.json');
    expect(issuesOf(model)).toEqual(['#/x-k8s-gen-group: the version `v1/../x` is not an API version; write it like `v1`, `v1beta1` or `v2alpha1`']);
  });

  it('refuses an input name that would end the header comment', () => {
    const model = readJsonSchema(fakeSchema({ Thing: struct({}) }), 'a\u2028export const x = 1;');
    expect(issuesOf(model)).toEqual([
      ': the name of the input holds a line separator (U+2028) at position 1, which would break the header comment of every generated file; rename the file, or pass it on standard input (-)',
    ]);
  });

  it('stops generate() with every issue, naming the input, before anything is written', async () => {
    const file = join(work, 'two-problems.json');
    writeFileSync(file, JSON.stringify(fakeSchema({ Config: struct({ 'a-b': { type: 'string' }, aB: { type: 'string' } }), Builder: struct({}) })));
    const outDir = join(work, 'never-written');
    const error = await generate({ sources: [file], outDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as GeneratorError).message).toBe(
      [
        "two-problems.json: #/$defs/Builder: a type named `Builder` clashes with the runtime's `Builder`, which every generated builder imports; rename the definition",
        'two-problems.json: #/$defs/Config/properties/aB: `a-b` and `aB` of Config both become the builder method `aB()`; rename one of the two properties',
      ].join('\n'),
    );
    expect((error as GeneratorError).issues).toHaveLength(2);
    expect(existsSync(outDir)).toBe(false);
  });
});
