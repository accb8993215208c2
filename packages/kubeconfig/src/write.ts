/**
 * Writes kubeconfigs safely: validated first, atomic (temp file + rename), mode 0600 whenever a
 * credential is inside, and optionally with each credential moved to its own 0600 file.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '@k8s-gen/runtime/node';
import { KubeconfigError } from './errors.js';
import type { Config, Problem } from './model.js';
import { hasInlineSecrets, REDACTED } from './secrets.js';
import { validateKubeconfig } from './validate.js';
import { toYaml } from './yaml.js';

/** Options of {@link writeKubeconfig}. */
export interface WriteKubeconfigOptions {
  /**
   * `inline` (default) keeps credentials in the kubeconfig (then written 0600). `files` moves each
   * `token` to a `<kubeconfig>.<user>.token` file referenced by `tokenFile`, and each
   * `client-key-data` to a `<kubeconfig>.<user>.key` PEM file referenced by `client-key`, both 0600
   * and referenced by bare file name (the apiserver resolves relative paths against the
   * kubeconfig's directory). Passwords and auth-provider settings have no file form and stay inline.
   */
  secrets?: 'inline' | 'files';
  /** Validate with the audit-webhook expectations (see `validateKubeconfig`). */
  forAuditWebhook?: boolean;
  /** Target kube-apiserver release for version-dependent rules. */
  kubernetesVersion?: string;
}

/** A credential file written next to the kubeconfig. */
export interface SecretFile {
  /** Absolute path of the file. */
  path: string;
  /** Problem-style path of the field it replaces, e.g. `users[0].user.token`. */
  field: string;
}

/** What {@link writeKubeconfig} wrote. */
export interface WriteKubeconfigResult {
  /** Absolute path of the kubeconfig. */
  path: string;
  /** Mode of the kubeconfig: 0o600 when it still holds a credential, 0o644 otherwise. */
  mode: number;
  /** Credential files written beside it (files mode only). */
  secretFiles: SecretFile[];
  /** The config as written (with file references in files mode). */
  config: Config;
  /** Warnings found while validating. */
  warnings: Problem[];
}

const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;

/** A file-name-safe form of a user name. */
function safeName(name: string, index: number): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return cleaned === '' ? `user${index}` : cleaned;
}

/**
 * Validates a kubeconfig and writes it to `file` atomically. Throws {@link KubeconfigError}
 * (listing the problems, with secrets shown as `<redacted>`) before touching the disk when the
 * config has errors; never leaves a partly written file behind.
 */
export async function writeKubeconfig(config: Config, file: string, options: WriteKubeconfigOptions = {}): Promise<WriteKubeconfigResult> {
  const target = path.resolve(file);
  const validateOptions: Parameters<typeof validateKubeconfig>[1] = { file: target };
  if (options.forAuditWebhook !== undefined) validateOptions.forAuditWebhook = options.forAuditWebhook;
  if (options.kubernetesVersion !== undefined) validateOptions.kubernetesVersion = options.kubernetesVersion;
  const problems = validateKubeconfig(config, validateOptions);
  if (problems.some((p) => p.severity === 'error')) {
    throw new KubeconfigError(`Refusing to write ${target}: the kubeconfig has errors.`, problems);
  }

  const output = structuredClone(config);
  const pending: { target: string; data: string | Uint8Array; field: string }[] = [];
  if (options.secrets === 'files') {
    const used = new Set<string>();
    const conflicts: Problem[] = [];
    (output.users ?? []).forEach((entry, index) => {
      let base = `${path.basename(target)}.${safeName(entry.name, index)}`;
      if (used.has(base)) base = `${base}-${index}`;
      used.add(base);
      const user = entry.user;
      const at = `users[${index}].user`;
      if (user.token !== undefined && user.token !== '') {
        if (user.tokenFile !== undefined && user.tokenFile !== '') {
          conflicts.push({ severity: 'error', code: 'token-file-taken', path: `${at}.token`, file: target, message: `The token (${REDACTED}) cannot move to its own file because \`tokenFile\` already names one.`, fix: 'Remove `token` (the file is authoritative) or `tokenFile`, then write again.' });
          return;
        }
        const name = `${base}.token`;
        pending.push({ target: path.join(path.dirname(target), name), data: user.token, field: `${at}.token` });
        delete user.token;
        user.tokenFile = name;
      }
      if (user['client-key-data'] !== undefined && user['client-key-data'] !== '') {
        const name = `${base}.key`;
        pending.push({ target: path.join(path.dirname(target), name), data: Buffer.from(user['client-key-data'], 'base64'), field: `${at}.client-key-data` });
        delete user['client-key-data'];
        user['client-key'] = name;
      }
    });
    if (conflicts.length > 0) throw new KubeconfigError(`Refusing to write ${target}: a credential cannot be moved to a file.`, conflicts);
  }
  const mode = hasInlineSecrets(output) ? SECRET_MODE : PUBLIC_MODE;

  try {
    await mkdir(path.dirname(target), { recursive: true });
    // Credential files first, the kubeconfig last: it only ever references files that exist.
    for (const item of pending) writeFileAtomically(item.target, item.data, { mode: SECRET_MODE });
    writeFileAtomically(target, toYaml(output), { mode });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'write failed';
    throw new KubeconfigError(`Could not write ${target} (${reason}).`, [
      { severity: 'error', code: 'write-failed', path: '', file: target, message: `Writing failed (${reason}); the previous kubeconfig, if any, is unchanged.`, fix: 'Check that the path is a writable file location and its directory is writable.' },
    ]);
  }
  return {
    path: target,
    mode,
    secretFiles: pending.map((item) => ({ path: item.target, field: item.field })),
    config: output,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}
