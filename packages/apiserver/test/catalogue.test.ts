import { describe, expect, it } from 'vitest';
import { parseKubernetesVersion } from '@k8s-gen/runtime';
import { AUDIT_FLAGS, AUDIT_FLAGS_RANGE, auditFlagSpec, defaultSetting, eventVersionsIn, flagExistsIn, flagForSetting, modesIn, settingAt, SETTING_KEYS } from '../src/index.js';

describe('the flag catalogue', () => {
  it('has each flag once and every setting it names exists in the settings shape', () => {
    const names = AUDIT_FLAGS.map((flag) => flag.name);
    expect(new Set(names).size).toBe(names.length);
    for (const flag of AUDIT_FLAGS) {
      const [first, ...rest] = flag.setting.split('.');
      const keys = rest.length === 0 ? SETTING_KEYS.settings : rest.length === 1 ? SETTING_KEYS[first as 'log' | 'webhook'] : SETTING_KEYS[rest[0] as 'batch' | 'truncate'];
      expect(keys, flag.name).toContain(rest.at(-1) ?? first);
    }
  });

  it('knows when flags appeared and disappeared (kubernetes/apiserver release tags)', () => {
    const exists = (name: string, minors: number[]) => minors.map((m) => flagExistsIn(auditFlagSpec(name)!, m));
    expect(exists('audit-log-compress', [19, 20])).toEqual([false, true]);
    expect(exists('audit-dynamic-configuration', [12, 13, 18, 19])).toEqual([false, true, true, false]);
    expect(exists('audit-log-truncate-enabled', [10, 11])).toEqual([false, true]);
    expect(exists('audit-log-batch-max-size', [9, 10])).toEqual([false, true]);
    expect(exists('audit-webhook-batch-max-size', [8, 9])).toEqual([false, true]);
    // 1.9 batched the webhook but always throttled: the switch came in 1.10.
    expect(exists('audit-webhook-batch-throttle-enable', [9, 10])).toEqual([false, true]);
    expect(exists('audit-log-mode', [9, 10])).toEqual([false, true]);
    expect(exists('audit-webhook-mode', [8])).toEqual([true]);
  });

  it('changes the log rotation defaults in 1.36, the log batch defaults in 1.12 and the event version in 1.13', () => {
    const rotation = (minor: number) => ['log.maxAge', 'log.maxBackup', 'log.maxSize'].map((s) => defaultSetting(s, minor));
    expect(rotation(35)).toEqual([0, 0, 0]);
    expect(rotation(36)).toEqual([366, 100, 100]);
    const logBatch = (minor: number) => ['log.batch.maxSize', 'log.batch.maxWait', 'log.batch.throttleQps', 'log.batch.throttleBurst', 'log.batch.throttleEnable'].map((s) => defaultSetting(s, minor));
    expect(logBatch(11)).toEqual([400, '30s', 10, 15, false]);
    expect(logBatch(12)).toEqual([1, '0s', 0, 0, false]);
    expect(defaultSetting('webhook.batch.maxSize', 20)).toBe(400);
    expect(defaultSetting('webhook.version', 12)).toBe('audit.k8s.io/v1beta1');
    expect(defaultSetting('webhook.version', 13)).toBe('audit.k8s.io/v1');
  });

  it('names the initial backoff as each release does', () => {
    expect(flagForSetting('webhook.initialBackoff', 9)?.name).toBe('audit-webhook-batch-initial-backoff');
    expect(flagForSetting('webhook.initialBackoff', 10)?.name).toBe('audit-webhook-initial-backoff');
    expect(flagForSetting('webhook.initialBackoff', 36)?.name).toBe('audit-webhook-initial-backoff');
  });

  it('knows the modes and event versions of each release', () => {
    expect(modesIn(12)).not.toContain('blocking-strict');
    expect(modesIn(13)).toContain('blocking-strict');
    expect(eventVersionsIn(11)).toEqual(['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']);
    expect(eventVersionsIn(23)).toContain('audit.k8s.io/v1beta1');
    expect(eventVersionsIn(24)).toEqual(['audit.k8s.io/v1']);
  });

  it('parses versions with the runtime parser over 1.8 to 1.36', () => {
    expect(parseKubernetesVersion('v1.20.2', AUDIT_FLAGS_RANGE)).toEqual({ ok: true, version: { text: 'v1.20.2', minor: 20, patch: 2 } });
    expect(parseKubernetesVersion('1.7', AUDIT_FLAGS_RANGE).ok).toBe(false);
    expect(parseKubernetesVersion('1.37', AUDIT_FLAGS_RANGE).ok).toBe(false);
  });

  it('reads nested settings by path', () => {
    expect(settingAt({ log: { path: '-', batch: { maxSize: 3 } } }, 'log.batch.maxSize')).toBe(3);
    expect(settingAt({ log: { path: '-' } }, 'log.batch.maxSize')).toBeUndefined();
    expect(settingAt({ log: 'x' }, 'log.path')).toBeUndefined();
  });
});
