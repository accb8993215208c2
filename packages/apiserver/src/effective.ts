/**
 * What a backend really runs with: the settings given, and the release's defaults for the rest.
 * The batch simulation and `tune` work on these; compliance checks judge the log rotation a
 * release really applies (0 means different things before and from 1.36).
 */
import { NEWEST_KUBERNETES_MINOR } from '@k8s-gen/runtime';
import { defaultSetting } from './catalogue.js';
import { settingAt, type AuditBackend, type AuditMode, type BatchSettings, type DeliverySettings, type LogSettings, type TruncateSettings } from './settings.js';

/** Every delivery setting of one backend, with the defaults filled in. */
export interface EffectiveBackendSettings {
  readonly mode: AuditMode;
  readonly batch: Readonly<Required<BatchSettings>>;
  readonly truncate: Readonly<Required<TruncateSettings>>;
  /** The event API version. */
  readonly version: string;
  /** The webhook's initial backoff (the default for the log, which does not retry). */
  readonly initialBackoff: string;
}

/**
 * The settings a backend runs with in a release: each given value, else the release's default.
 * Values are taken as given; check them first with `checkAuditSettings`.
 *
 * @example
 * ```ts
 * effectiveBackendSettings('log', { mode: 'batch' }, 30).batch.maxSize; // 1
 * effectiveBackendSettings('webhook', {}, 30).batch.maxWait;             // '30s'
 * ```
 */
export function effectiveBackendSettings(backend: AuditBackend, settings: DeliverySettings = {}, minor: number = NEWEST_KUBERNETES_MINOR): EffectiveBackendSettings {
  const value = <T>(key: string): T => (settingAt(settings, key) ?? defaultSetting(`${backend}.${key}`, minor) ?? defaultSetting(`webhook.${key}`, minor)) as T;
  return {
    mode: value<AuditMode>('mode'),
    batch: {
      bufferSize: value('batch.bufferSize'),
      maxSize: value('batch.maxSize'),
      maxWait: value('batch.maxWait'),
      throttleEnable: value('batch.throttleEnable'),
      throttleQps: value('batch.throttleQps'),
      throttleBurst: value('batch.throttleBurst'),
    },
    truncate: {
      enabled: value('truncate.enabled'),
      maxBatchSize: value('truncate.maxBatchSize'),
      maxEventSize: value('truncate.maxEventSize'),
    },
    version: value('version'),
    initialBackoff: backend === 'webhook' ? value('initialBackoff') : (defaultSetting('webhook.initialBackoff', minor) as string),
  };
}

/** How the log file is rotated in a release. */
export interface LogRotation {
  /** False for stdout and, from 1.36, for `maxSize: 0`. */
  readonly rotates: boolean;
  /** MiB at which the file is rotated, when it rotates. */
  readonly maxSizeMiB?: number;
  /** Days rotated files are kept; undefined keeps them forever. */
  readonly maxAgeDays?: number;
  /** Rotated files kept; undefined keeps them all. */
  readonly maxBackups?: number;
  /** Whether rotated files are gzipped. */
  readonly compress: boolean;
}

/** The rotation library's size when it is given 0, which releases up to 1.35 pass on. */
const ROTATION_LIBRARY_DEFAULT_MIB = 100;

/**
 * The rotation a log backend really gets: up to 1.35 a `maxSize` of 0 rotates at 100 MiB and
 * unset age and backups keep everything; from 1.36 the defaults are 366 days, 100 files, 100 MiB
 * and a `maxSize` of 0 writes one file forever; stdout is never rotated.
 *
 * @example
 * ```ts
 * effectiveLogRotation({ path: '/var/log/a.log', maxSize: 0 }, 35); // { rotates: true, maxSizeMiB: 100, compress: false }
 * effectiveLogRotation({ path: '/var/log/a.log', maxSize: 0 }, 36); // { rotates: false, compress: false }
 * ```
 */
export function effectiveLogRotation(log: LogSettings, minor: number = NEWEST_KUBERNETES_MINOR): LogRotation {
  const value = (key: 'maxAge' | 'maxBackup' | 'maxSize' | 'compress') => log[key] ?? defaultSetting(`log.${key}`, minor);
  const compress = minor >= 20 && value('compress') === true;
  const size = value('maxSize') as number;
  if (log.path === '-' || (size === 0 && minor >= 36)) return { rotates: false, compress: false };
  const age = value('maxAge') as number;
  const backups = value('maxBackup') as number;
  return {
    rotates: true,
    maxSizeMiB: size === 0 ? ROTATION_LIBRARY_DEFAULT_MIB : size,
    ...(age > 0 ? { maxAgeDays: age } : {}),
    ...(backups > 0 ? { maxBackups: backups } : {}),
    compress,
  };
}
