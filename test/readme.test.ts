// The README's TypeScript example is what users copy first: it must compile and do what it says.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
// Inside the repo so that `@k8s-gen/audit` resolves from the workspace, as it would from node_modules.
const work = mkdtempSync(path.join(repoRoot, 'test', '.tmp-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the README example', () => {
  it('exists', () => {
    expect(example).toContain("from '@k8s-gen/audit'");
  });

  it('type-checks against the built packages', () => {
    writeFileSync(path.join(work, 'example.ts'), example!);
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        include: ['example.ts'],
      }),
    );
    const result = spawnSync('node', [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', work], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
  });

  it('prints no problems, then a policy that parses back to what it built', () => {
    writeFileSync(path.join(work, 'run.ts'), example!);
    const output = execFileSync('node', [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(work, 'run.ts')], { encoding: 'utf8' });
    const [first, ...rest] = output.split('\n');
    expect(first).toBe('[]');
    const yamlText = rest.join('\n');
    expect(yamlText).toContain('# everything else: who did what, no bodies');
    expect(parse(yamlText)).toEqual({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [
        { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services'] }] },
        { level: 'Metadata' },
      ],
    });
  });
});
