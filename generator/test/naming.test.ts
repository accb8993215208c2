// One test per naming rule of src/model/naming.ts: the names every reader and emitter uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apiVersionOf,
  builderName,
  childBuilderName,
  factoryName,
  groupSelectorName,
  groupVersionIdentifier,
  groupVersionIndexPath,
  groupVersionKey,
  hoistedPartName,
  hoistedTypeName,
  importAlias,
  isIdentifier,
  locateDefinition,
  metadataFilePath,
  moduleSpecifier,
  propertyKey,
  schemaName,
  selectionKey,
  stringLiteral,
  toMemberName,
  toTypeName,
  typeFilePath,
  valuesName,
} from '../src/model/naming.js';

const core = { group: 'core', version: 'v1' };

describe('naming rules', () => {
  it('turns wire names into lowerCamel members, keeping clear of builder members and leading digits', () => {
    expect(toMemberName('current-context')).toBe('currentContext');
    expect(toMemberName('client-certificate-data')).toBe('clientCertificateData');
    expect(toMemberName('$ref')).toBe('ref');
    expect(toMemberName('URLs')).toBe('uRLs');
    expect(toMemberName('2fa')).toBe('field2fa');
    expect(toMemberName('---')).toBe('field');
    for (const member of ['build', 'end', 'comment', 'constructor', 'buildSelf', 'setField', 'appendField']) {
      expect(toMemberName(member)).toBe(`${member}Field`);
    }
  });

  it('makes every member name an identifier', () => {
    fc.assert(fc.property(fc.string(), (wire) => isIdentifier(toMemberName(wire))));
  });

  it('turns schema and definition names into PascalCase type names', () => {
    expect(toTypeName('group-resources')).toBe('GroupResources');
    expect(toTypeName('Policy')).toBe('Policy');
    expect(toTypeName('v1.Pod')).toBe('V1Pod');
    expect(toTypeName('3d')).toBe('T3d');
    expect(toTypeName('')).toBe('Unnamed');
    fc.assert(fc.property(fc.string(), (raw) => /^[A-Z][A-Za-z0-9]*$/.test(toTypeName(raw))));
  });

  it('names hoisted inline objects after their parent and field', () => {
    expect(hoistedTypeName('Policy', 'spec')).toBe('PolicySpec');
    expect(hoistedTypeName('Policy', 'current-context')).toBe('PolicyCurrentContext');
    expect(hoistedPartName('PolicyRules', 'item')).toBe('PolicyRule');
    expect(hoistedPartName('PolicyLabels', 'value')).toBe('PolicyLabelsValue');
    expect(hoistedPartName('PolicyTarget', 'member', 2)).toBe('PolicyTarget2');
  });

  it('names factories in lowerCamel, acronyms included, and escapes reserved words', () => {
    expect(factoryName('Pod')).toBe('pod');
    expect(factoryName('PolicyRule')).toBe('policyRule');
    expect(factoryName('HTTPGetAction')).toBe('httpGetAction');
    expect(factoryName('IP')).toBe('ip');
    expect(factoryName('Function')).toBe('function_');
    expect(factoryName('Delete')).toBe('delete_');
  });

  it('names schemas, value lists, builders and child builders', () => {
    expect(schemaName('Policy')).toBe('PolicySchema');
    expect(valuesName('Level')).toBe('LevelValues');
    expect(builderName('Policy')).toBe('PolicyBuilder');
    expect(childBuilderName('PolicyRule', 'Policy')).toBe('PolicyRuleInPolicyBuilder');
  });

  it('composes apiVersion: the bare version for the core group, group/version otherwise', () => {
    expect(apiVersionOf('', 'v1')).toBe('v1');
    expect(apiVersionOf('audit.k8s.io', 'v1')).toBe('audit.k8s.io/v1');
    expect(apiVersionOf('apps', 'v1beta2')).toBe('apps/v1beta2');
  });

  it('calls the core group `core` in selections', () => {
    expect(groupSelectorName('')).toBe('core');
    expect(groupSelectorName('apps')).toBe('apps');
    expect(selectionKey('', 'v1')).toBe('core/v1');
    expect(selectionKey('networking.k8s.io', 'v1')).toBe('networking.k8s.io/v1');
    expect(groupVersionKey(core)).toBe('core/v1');
  });

  it('names folders of Kubernetes definitions after their Go packages', () => {
    expect(locateDefinition('io.k8s.api.core.v1.Pod')).toEqual({ group: 'core', version: 'v1', name: 'Pod' });
    expect(locateDefinition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')).toEqual({ group: 'meta', version: 'v1', name: 'ObjectMeta' });
    expect(locateDefinition('io.k8s.api.networking.v1.Ingress')).toEqual({ group: 'networking', version: 'v1', name: 'Ingress' });
    expect(locateDefinition('io.k8s.api.autoscaling.v2beta2.HPAScalingPolicy')).toEqual({ group: 'autoscaling', version: 'v2beta2', name: 'HPAScalingPolicy' });
    expect(locateDefinition('io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toEqual({ group: 'intstr', version: 'unversioned', name: 'IntOrString' });
  });

  it('names namespace exports and import aliases after the group/version', () => {
    expect(groupVersionIdentifier(core)).toBe('coreV1');
    expect(groupVersionIdentifier({ group: 'meta', version: 'v1' })).toBe('metaV1');
    expect(groupVersionIdentifier({ group: 'audit.k8s.io', version: 'v1' })).toBe('auditK8sIoV1');
    expect(groupVersionIdentifier({ group: 'auditregistration.k8s.io', version: 'v1alpha1' })).toBe('auditregistrationK8sIoV1alpha1');
    expect(importAlias({ group: 'meta', version: 'v1' }, 'Status')).toBe('metaV1_Status');
  });

  it('lays out the files of a group/version and the specifiers between them', () => {
    expect(typeFilePath(core, 'types', 'Pod')).toBe('core/v1/types/Pod.ts');
    expect(typeFilePath(core, 'builders', 'Pod')).toBe('core/v1/builders/Pod.ts');
    expect(groupVersionIndexPath(core)).toBe('core/v1/index.ts');
    expect(metadataFilePath(core)).toBe('core/v1/metadata.ts');
    expect(moduleSpecifier('core/v1/builders/Pod.ts', 'core/v1/types/Pod.ts')).toBe('../types/Pod.js');
    expect(moduleSpecifier('core/v1/index.ts', 'core/v1/types/Pod.ts')).toBe('./types/Pod.js');
    expect(moduleSpecifier('index.ts', 'meta/v1/index.ts')).toBe('./meta/v1/index.js');
  });

  it('writes property keys bare when they are identifiers and as safe literals otherwise', () => {
    expect(propertyKey('level')).toBe('level');
    expect(propertyKey('current-context')).toBe("'current-context'");
    expect(propertyKey("it's\n")).toBe("'it\\'s\\n'");
  });

  it('writes string literals that no text can end early', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const literal = stringLiteral(text);
        // eslint-disable-next-line no-new-func -- evaluating the literal is the point of the test
        return !/[\n\r\u2028\u2029]/.test(literal) && new Function(`return ${literal};`)() === text;
      }),
    );
  });
});
