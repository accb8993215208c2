/**
 * Running a Vector preset inside the cluster: its config as a ConfigMap, and what the DaemonSet's
 * pod needs to mount, expose and run (see ../in-cluster.ts).
 */
import type { Problem } from '@k8s-gen/runtime';
import { packageForDaemonSet, type InClusterOptions, type ShipperInCluster } from '../in-cluster.js';
import { pathOption } from '../options.js';
import { collectProblems, type CollectorResult } from '../problems.js';
import type { VectorPreset } from './presets.js';
import { writeVector } from './writer.js';

/** The ConfigMap key of Vector's config. */
export const VECTOR_CONFIG_KEY = 'vector.yaml';

/** Options of {@link vectorInCluster}. */
export interface VectorInClusterOptions extends InClusterOptions {
  /** Where the ConfigMap is mounted. Default `/etc/vector`, where Vector's images look for `vector.yaml`. */
  readonly configDir?: string;
}

/**
 * Packages a Vector preset for a DaemonSet: the config as one ConfigMap mounted read-only at
 * `configDir`, `data_dir` (the file source's checkpoints, disk buffers) as a host folder so a
 * restarted pod resumes, for the file preset the audit log's folder read-only at the same path, and
 * for the webhook preset the listener's port. Never throws.
 *
 * @example
 * ```ts
 * const packaged = vectorInCluster(preset, { configMapName: 'audit-vector', namespace: 'kube-system' });
 * if (packaged.ok) packaged.value.args; // ['--config', '/etc/vector/vector.yaml']
 * ```
 */
export function vectorInCluster(preset: VectorPreset, options: VectorInClusterOptions): CollectorResult<ShipperInCluster> {
  return collectProblems((problems: Problem[]) => {
    const configDir = pathOption(problems, 'configDir', options.configDir ?? '/etc/vector', [], '/etc/vector');
    const written = writeVector(preset.config);
    problems.push(...written.problems);
    if (configDir === undefined || !written.ok) return undefined;
    return packageForDaemonSet(
      problems,
      {
        volumePrefix: 'vector',
        files: { [VECTOR_CONFIG_KEY]: written.value },
        configDir,
        args: ['--config', `${configDir}/${VECTOR_CONFIG_KEY}`],
        state: { option: 'dataDir', dir: preset.dataDir, example: '/var/lib/vector' },
        ...(preset.logPath !== undefined ? { logPath: preset.logPath } : {}),
        ...(preset.listener !== undefined ? { listenerPort: preset.listener.port } : {}),
      },
      options,
    );
  });
}
