/**
 * The apiserver's arguments from the files that hold them: a flags file (one or more flags a
 * line, as `apiserver-flags.txt` of a synthesized target), the static Pod manifest
 * (`/etc/kubernetes/manifests/kube-apiserver.yaml`), a kubeadm `ClusterConfiguration` (extraArgs
 * as a map up to v1beta3, as a name/value list in v1beta4), or a synthesized JSON patch.
 */
import type { Problem } from '@k8s-gen/runtime';
import { readYaml } from '@k8s-gen/yaml';

/** The form the arguments were found in. */
export type ApiserverArgsForm = 'flags' | 'static-pod' | 'kubeadm' | 'json-patch';

/** What {@link readApiserverArgs} found. */
export interface ApiserverArgs {
  readonly form?: ApiserverArgsForm;
  readonly args: string[];
  /** Errors mean no arguments could be read. */
  readonly problems: Problem[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * Reads the apiserver's arguments from the text of a file. Never throws; the reader's size, depth
 * and alias limits apply to YAML and JSON.
 *
 * @example
 * ```ts
 * readApiserverArgs('--audit-log-path=/var/log/audit.log\n--audit-log-maxage=30\n').args;
 * // ['--audit-log-path=/var/log/audit.log', '--audit-log-maxage=30']
 * ```
 */
export function readApiserverArgs(text: string, file?: string): ApiserverArgs {
  const where = file === undefined ? {} : { file };
  const fail = (message: string, fix: string): ApiserverArgs => ({ args: [], problems: [{ severity: 'error', code: 'apiserver-args', path: '', message, fix, ...where }] });
  const firstLine = text.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('#'))?.trim() ?? '';
  if (firstLine === '') return fail('the file holds no flags', 'give the apiserver flags file, its static Pod manifest or the kubeadm configuration');
  if (firstLine.startsWith('--') || /^\S*kube-apiserver(\s|$)/.test(firstLine)) {
    const args = text
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join(' ')
      .replace(/\\\s/g, ' ')
      .split(/\s+/)
      .filter((part) => part !== '');
    return { form: 'flags', args, problems: [] };
  }
  const read = readYaml(text, { format: 'yaml-or-json' });
  if (read.problems.length > 0) return { args: [], problems: read.problems.map((problem) => ({ ...problem, path: '', ...where })) };
  for (const document of read.documents) {
    const data = document.data;
    if (Array.isArray(data)) {
      // A JSON patch: the values added to a command or args list.
      const args = data.flatMap((op) => (isObject(op) && typeof op.path === 'string' && /\/(command|args)(\/-|\/\d+)?$/.test(op.path) ? (typeof op.value === 'string' ? [op.value] : strings(op.value)) : []));
      if (args.length > 0) return { form: 'json-patch', args, problems: [] };
      continue;
    }
    if (!isObject(data)) continue;
    if (data.kind === 'Pod' && isObject(data.spec) && Array.isArray(data.spec.containers)) {
      const containers = data.spec.containers.filter(isObject);
      const container = containers.find((candidate) => candidate.name === 'kube-apiserver') ?? containers[0];
      if (container === undefined) return fail('the Pod has no containers', 'give the kube-apiserver static Pod manifest');
      return { form: 'static-pod', args: [...strings(container.command), ...strings(container.args)], problems: [] };
    }
    if (data.kind === 'ClusterConfiguration') {
      const apiServer = isObject(data.apiServer) ? data.apiServer : {};
      const extra = apiServer.extraArgs;
      const args = Array.isArray(extra)
        ? extra.filter(isObject).map((entry) => `--${String(entry.name)}=${String(entry.value ?? '')}`)
        : isObject(extra)
          ? Object.keys(extra)
              .sort()
              .map((name) => `--${name}=${String(extra[name] ?? '')}`)
          : [];
      return { form: 'kubeadm', args, problems: [] };
    }
  }
  return fail('no apiserver flags found: not a flags file, a Pod, a kubeadm ClusterConfiguration or a JSON patch of the command', 'give one of those (a flags file holds --flag=value, one or more a line)');
}
