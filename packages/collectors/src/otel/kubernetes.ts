/**
 * Running an OpenTelemetry Collector preset inside the cluster: its config as a ConfigMap, and what
 * the DaemonSet's pod needs to mount and run (see ../in-cluster.ts).
 */
import type { Problem } from '@k8s-gen/runtime';
import { packageForDaemonSet, type InClusterOptions, type ShipperInCluster } from '../in-cluster.js';
import { pathOption } from '../options.js';
import { collectProblems, type CollectorResult } from '../problems.js';
import type { OtelPreset } from './presets.js';
import { writeOtelCollector } from './writer.js';

/** The ConfigMap key of the collector's config. */
export const OTEL_CONFIG_KEY = 'config.yaml';

/** Options of {@link otelInCluster}. */
export interface OtelInClusterOptions extends InClusterOptions {
  /** Where the ConfigMap is mounted. Default `/etc/otelcol-contrib`, where the contrib image looks for `config.yaml`. */
  readonly configDir?: string;
}

/**
 * Packages a collector preset for a DaemonSet: the config as one ConfigMap mounted read-only at
 * `configDir`, the file_storage folder (the filelog receiver's offsets) as a host folder so a
 * restarted pod resumes, and the audit log's folder read-only at the same path. Never throws.
 *
 * @example
 * ```ts
 * const packaged = otelInCluster(preset, { configMapName: 'audit-otelcol', namespace: 'kube-system' });
 * if (packaged.ok) packaged.value.args; // ['--config', '/etc/otelcol-contrib/config.yaml']
 * ```
 */
export function otelInCluster(preset: OtelPreset, options: OtelInClusterOptions): CollectorResult<ShipperInCluster> {
  return collectProblems((problems: Problem[]) => {
    const configDir = pathOption(problems, 'configDir', options.configDir ?? '/etc/otelcol-contrib', [], '/etc/otelcol-contrib');
    const written = writeOtelCollector(preset.config);
    problems.push(...written.problems);
    if (configDir === undefined || !written.ok) return undefined;
    return packageForDaemonSet(
      problems,
      {
        volumePrefix: 'otelcol',
        files: { [OTEL_CONFIG_KEY]: written.value },
        configDir,
        args: ['--config', `${configDir}/${OTEL_CONFIG_KEY}`],
        state: { option: 'storageDir', dir: preset.storageDir, example: '/var/lib/otelcol/file_storage' },
        logPath: preset.logPath,
      },
      options,
    );
  });
}
