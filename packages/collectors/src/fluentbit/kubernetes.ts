/**
 * Running a Fluent Bit preset inside the cluster: the config, parsers and scripts as one
 * ConfigMap, and what the DaemonSet's pod needs to mount, expose and run (see ../in-cluster.ts).
 */
import type { Problem } from '@k8s-gen/runtime';
import { packageForDaemonSet, type InClusterOptions, type ShipperInCluster } from '../in-cluster.js';
import { choiceOption } from '../options.js';
import { collectProblems, type CollectorResult } from '../problems.js';
import type { FluentBitPreset } from './presets.js';
import { writeFluentBitClassic, writeFluentBitYaml } from './writer.js';

/** The ConfigMap keys of the main config in each format, and of the classic parsers file. */
export const FLUENT_BIT_CONFIG_KEYS = { yaml: 'fluent-bit.yaml', classic: 'fluent-bit.conf', parsers: 'parsers.conf' } as const;

/** Options of {@link fluentBitInCluster}. */
export interface FluentBitInClusterOptions extends InClusterOptions {
  /** The config format: `yaml` (Fluent Bit 2.0 and later) or `classic`. */
  readonly format: 'yaml' | 'classic';
}

/** What a DaemonSet needs to run the preset. */
export type FluentBitInCluster = ShipperInCluster;

/**
 * Packages a Fluent Bit preset for a DaemonSet: one ConfigMap with the config (in the chosen
 * format), the parsers file (classic) and the Lua scripts, mounted at the preset's `configDir`; the
 * state folder (offsets database, filesystem chunks) as a host folder, so a restarted pod resumes;
 * and for the tail preset the audit log's folder, read-only at the same path. Never throws.
 *
 * @example
 * ```ts
 * const packaged = fluentBitInCluster(preset, { format: 'yaml', configMapName: 'audit-fluent-bit', namespace: 'kube-system' });
 * if (packaged.ok) packaged.value.configMap.data['fluent-bit.yaml'];
 * ```
 */
export function fluentBitInCluster(preset: FluentBitPreset, options: FluentBitInClusterOptions): CollectorResult<FluentBitInCluster> {
  return collectProblems((problems: Problem[]) => {
    const format = choiceOption(problems, 'format', options.format, ['yaml', 'classic']);
    if (format === undefined) return undefined;
    const files: Record<string, string> = {};
    let configKey: string;
    if (format === 'yaml') {
      const written = writeFluentBitYaml(preset.config);
      problems.push(...written.problems);
      if (!written.ok) return undefined;
      configKey = FLUENT_BIT_CONFIG_KEYS.yaml;
      files[configKey] = written.value;
    } else {
      const written = writeFluentBitClassic(preset.config, { parsersFile: `${preset.configDir}/${FLUENT_BIT_CONFIG_KEYS.parsers}` });
      problems.push(...written.problems);
      if (!written.ok) return undefined;
      configKey = FLUENT_BIT_CONFIG_KEYS.classic;
      files[configKey] = written.value.main;
      if (written.value.parsers !== undefined) files[FLUENT_BIT_CONFIG_KEYS.parsers] = written.value.parsers;
    }
    for (const script of preset.scripts) files[script.fileName] = script.text;
    return packageForDaemonSet(
      problems,
      {
        volumePrefix: 'fluent-bit',
        files,
        configDir: preset.configDir,
        args: ['-c', `${preset.configDir}/${configKey}`],
        state: { option: 'stateDir', dir: preset.stateDir, example: '/var/lib/fluent-bit' },
        ...(preset.logPath !== undefined ? { logPath: preset.logPath } : {}),
        ...(preset.listener !== undefined ? { listenerPort: preset.listener.port } : {}),
      },
      options,
    );
  });
}
