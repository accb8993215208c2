/**
 * Which kubeconfig values are credentials. They decide the file mode (0600) and are never echoed
 * in messages.
 */
import { type AuthInfo, type Config, typeMetadata } from './model.js';

/** AuthInfo fields whose values are credentials (marked `x-k8s-gen-secret` in the schema). */
export const SECRET_AUTH_FIELDS: readonly (keyof AuthInfo & string)[] = Object.entries(typeMetadata['AuthInfo'] ?? {})
  .filter(([, meta]) => meta.secret === true)
  .map(([field]) => field as keyof AuthInfo & string);

/** Placeholder shown instead of a secret value. */
export const REDACTED = '<redacted>';

/** True when a path (as segments) points at or inside a secret value. */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    if (typeof part === 'string' && SECRET_AUTH_FIELDS.includes(part as keyof AuthInfo & string)) return true;
    if (part === 'auth-provider' && path[i + 1] === 'config') return true;
  }
  return false;
}

/** The secret fields a user entry carries, by wire name (`auth-provider.config` for plugin settings). */
export function secretFieldsOf(user: AuthInfo): string[] {
  const found: string[] = SECRET_AUTH_FIELDS.filter((field) => typeof user[field] === 'string' && user[field] !== '');
  if (Object.keys(user['auth-provider']?.config ?? {}).length > 0) found.push('auth-provider.config');
  return found;
}

/** True when any user of the config holds a credential inline. */
export function hasInlineSecrets(config: Config): boolean {
  return (config.users ?? []).some((entry) => secretFieldsOf(entry.user).length > 0);
}
