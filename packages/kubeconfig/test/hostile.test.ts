import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKubeconfig, parseKubeconfig } from '../src/index.js';
import { KUBECONFIG_CASES, SECRET } from '../../../test/hostile/kubeconfig/cases.js';

const scratch = mkdtempSync(join(tmpdir(), 'k8s-gen-kubeconfig-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('hostile kubeconfigs', () => {
  it.each(KUBECONFIG_CASES.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', (_, hostile) => {
    const result = parseKubeconfig(hostile.input, { file: 'webhook.yaml' });
    expect(result.config).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ severity: 'error', code: hostile.code, file: 'webhook.yaml' });
    for (const problem of result.problems) expect(JSON.stringify(problem)).not.toContain(SECRET);
  });

  it('loadKubeconfig refuses a huge file without reading it whole', async () => {
    const file = join(scratch, 'huge.yaml');
    writeFileSync(file, '');
    truncateSync(file, 2 ** 40);
    expect(await loadKubeconfig(file)).toMatchObject({ config: undefined, problems: [{ code: 'input-too-large', file }] });
  });

  it('loadKubeconfig reads the file as bytes, with go-yaml\'s encoding rules', async () => {
    const file = join(scratch, 'utf16.yaml');
    const text = 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://x\ncontexts:\n- name: d\n  context: {cluster: c, user: ""}\ncurrent-context: d\nusers: []\n';
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(await loadKubeconfig(file)).toMatchObject({ problems: [], config: { 'current-context': 'd' } });
    writeFileSync(file, Buffer.concat([Buffer.from(text), Buffer.from([0xc0, 0xaf])]));
    expect((await loadKubeconfig(file)).problems).toMatchObject([{ code: 'yaml-invalid-encoding', line: 12, column: 1 }]);
  });

  it('walks a kubeconfig nested right up to the depth limit', () => {
    for (const maxDepth of [100, 500]) {
      const levels = maxDepth - 5;
      const text = `apiVersion: v1\nkind: Config\npreferences:\n  extensions:\n  - name: deep\n    extension: {x: ${'['.repeat(levels)}${']'.repeat(levels)}}\n`;
      expect(parseKubeconfig(text, { limits: { maxDepth } }).problems).toEqual([]);
      expect(parseKubeconfig(text, { limits: { maxDepth: maxDepth - 1 } }).problems.map((p) => p.code)).toEqual(['yaml-too-deep']);
    }
  });

  it('resolves aliases the way kubectl does, where it used to drop them', () => {
    const result = parseKubeconfig('apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: &c {server: https://x}\n- name: d\n  cluster: *c\n');
    expect(result.problems).toEqual([]);
    expect(result.config?.clusters?.[1]?.cluster).toEqual({ server: 'https://x' });
  });
});
