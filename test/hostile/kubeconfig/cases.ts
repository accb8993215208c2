/**
 * Hostile kubeconfigs (the file kube-apiserver reads with --audit-webhook-config-file), by
 * category, with the problem `parseKubeconfig` must give. Each holds the token `s3cr3t-token`,
 * which no problem may repeat.
 */

/** Why a case is here. */
export type KubeconfigCaseCategory = 'reading-limits' | 'aliases' | 'characters' | 'encoding' | 'values' | 'documents';

/** A hostile kubeconfig and the first problem code it must give. */
export interface KubeconfigCase {
  name: string;
  category: KubeconfigCaseCategory;
  input: string | Uint8Array;
  code: string;
}

export const SECRET = 's3cr3t-token';

const config = (user: string, extra = ''): string =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: sink\n  cluster:\n    server: https://audit.example.com/events\nusers:\n- name: apiserver\n  user:\n${user}\ncontexts:\n- name: default\n  context:\n    cluster: sink\n    user: apiserver\ncurrent-context: default\n${extra}`;
const TOKEN = `    token: ${SECRET}`;

function billionLaughs(): string {
  const lines = ['  x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 9; level++) lines.push(`  x${level}: &x${level} [${Array.from({ length: 10 }, () => `*x${level - 1}`).join(', ')}]`);
  return `preferences:\n${lines.join('\n')}\n`;
}

export const KUBECONFIG_CASES: readonly KubeconfigCase[] = [
  { name: 'billion laughs in preferences', category: 'aliases', input: config(TOKEN, billionLaughs()), code: 'yaml-alias-expansion' },
  { name: 'a user that contains itself', category: 'aliases', input: config(`    token: ${SECRET}\n    exec: &e {command: x, env: [*e]}`), code: 'yaml-alias-recursive' },
  { name: 'a token alias of no anchor', category: 'aliases', input: config('    token: *secret'), code: 'yaml-alias-undefined' },
  { name: '10,000 nested lists', category: 'reading-limits', input: config(TOKEN, `preferences: {extensions: ${'['.repeat(10_000)}${']'.repeat(10_000)}}\n`), code: 'yaml-too-deep' },
  { name: 'a 5 MB kubeconfig', category: 'reading-limits', input: config(TOKEN, `preferences: {colors: ${'x'.repeat(5 * 1024 * 1024)}}\n`), code: 'input-too-large' },
  { name: 'an escape sequence in the token', category: 'characters', input: config(`    token: "${SECRET}\u001b[2J"`), code: 'yaml-control-character' },
  { name: 'NUL after the token', category: 'characters', input: config(`    token: ${SECRET}\u0000`), code: 'yaml-control-character' },
  { name: 'U+2028 hiding a second server', category: 'characters', input: config(TOKEN, `# note\u2028clusters: [{name: sink, cluster: {server: https://evil.example.com}}]\n`), code: 'yaml-line-break-character' },
  { name: 'malformed UTF-8 in the token', category: 'encoding', input: Buffer.concat([Buffer.from(config(`    token: ${SECRET}`)), Buffer.from([0xff, 0x0a])]), code: 'yaml-invalid-encoding' },
  { name: 'a second document', category: 'documents', input: config(TOKEN, '---\ncurrent-context: other\n'), code: 'ignored-document' },
  { name: 'a token typed as a number', category: 'values', input: config(`    token: !!int ${SECRET}`), code: 'yaml-tag' },
];
