// @k8s-gen/collectors returns core/v1 objects (a ConfigMap, Volumes, VolumeMounts) as hand-written
// subsets of the core/v1 types, because it must build without a Kubernetes spec, from which
// @k8s-gen/core is generated. This type-checks, with the compiler, that each subset is assignable
// to the type generated from the official spec, so the two cannot drift.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coreGenerated = path.join(repoRoot, 'packages/core/src/generated/index.ts');

/** The diagnostics of a program made of one in-memory module in this folder, with the repository's settings, with their lines. */
function typeErrors(source: string): { line: number; message: string }[] {
  const base = ts.readConfigFile(path.join(repoRoot, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, repoRoot);
  const file = path.join(repoRoot, 'test', '.tmp-collector-core-shapes.ts');
  const host = ts.createCompilerHost({ ...options, noEmit: true, types: [] });
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], { ...options, noEmit: true, types: [] }, host);
  // Only this module's diagnostics: the packages' own sources are type-checked by their builds
  // (with Node's types, which this program leaves out).
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ({
    line: d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

const imports = `
import type { CollectorConfigMap, CollectorObjectMeta, CollectorVolume, CollectorVolumeMount } from '@k8s-gen/collectors';
import type { ConfigMap } from '@k8s-gen/core/v1/ConfigMap';
import type { Volume } from '@k8s-gen/core/v1/Volume';
import type { VolumeMount } from '@k8s-gen/core/v1/VolumeMount';
import type { ObjectMeta } from '@k8s-gen/core/meta/v1';
`;

describe.skipIf(!existsSync(coreGenerated))('collector core/v1 shapes (skipped when packages/core/src/generated is missing: npm run generate -w packages/core)', () => {
  it('each shape is assignable to the generated core/v1 type, and a drifted one is reported', () => {
    const source = `${imports}
export function check(configMap: CollectorConfigMap, meta: CollectorObjectMeta, volume: CollectorVolume, mount: CollectorVolumeMount) {
  const asConfigMap: ConfigMap = configMap;
  const asObjectMeta: ObjectMeta = meta;
  const asVolume: Volume = volume;
  const asVolumeMount: VolumeMount = mount;
  return [asConfigMap, asObjectMeta, asVolume, asVolumeMount];
}

// A control: a shape that drifted must be reported, or the check above proves nothing.
type Drifted = Omit<CollectorVolumeMount, 'mountPath'> & { mountPath: number };
export function drifted(mount: Drifted) {
  const asVolumeMount: VolumeMount = mount;
  return asVolumeMount;
}
`;
    // The one error is the control's assignment, the last of the two identical lines.
    const controlLine = source.split('\n').lastIndexOf('  const asVolumeMount: VolumeMount = mount;') + 1;
    const errors = typeErrors(source);
    expect(errors.map((e) => e.line)).toEqual([controlLine]);
    expect(errors[0]!.message).toMatch(/mountPath/);
  });
});
