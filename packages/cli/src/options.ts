// Options several commands share, defined once so that they read, default and fail the same
// everywhere: the Kubernetes version (the newest k8s-gen models, checked by the shared runtime
// parser), the output format (its choices listed in the help) and the format of an audit log.
import { InvalidArgumentError, Option } from 'commander';
import { AUDIT_LOG_FORMATS } from '@k8s-gen/engine';
import { NEWEST_KUBERNETES_VERSION, parseKubernetesVersion, type KubernetesVersionRange } from '@k8s-gen/runtime';

/**
 * `--kubernetes-version <version>`: the apiserver release to model, default the newest k8s-gen
 * models. A value that is not a release in `range` is a usage error (exit 2) saying what to write.
 */
export function kubernetesVersionOption(description: string, range: KubernetesVersionRange = { oldest: 12 }): Option {
  return new Option('--kubernetes-version <version>', description)
    .default(NEWEST_KUBERNETES_VERSION, `${NEWEST_KUBERNETES_VERSION}, the newest release k8s-gen models`)
    .argParser((value: string) => {
      const parsed = parseKubernetesVersion(value, range);
      if (!parsed.ok) throw new InvalidArgumentError(`${parsed.message}; ${parsed.fix}.`);
      return value;
    });
}

/** `--format <format>` with its choices listed in the help and checked by commander. */
export function formatOption<T extends string>(choices: readonly T[], description = 'how to print the result'): Option {
  return new Option('--format <format>', description).choices(choices).default(choices[0]);
}

/** A repeatable option (`--group a --group b`) collecting its values; none by default. */
export function repeatableOption(flags: string, description: string): Option {
  return new Option(flags, `${description}; repeat for several`)
    .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .default([], 'none');
}

/**
 * `--input-format <format>`: the format of an audit log given to `cost`, `explain --log` and
 * `lint --log`: the apiserver's own (`kubernetes`), a managed cluster's (`eks`, `gke`, `aks`), or
 * `auto` (default), recognised from the first records.
 */
export function inputFormatOption(): Option {
  return new Option('--input-format <format>', 'format of the audit log: the apiserver\'s own (kubernetes), EKS CloudWatch Logs (eks), GKE Cloud Audit Logs (gke), AKS diagnostics (aks), or auto')
    .choices(['auto', ...AUDIT_LOG_FORMATS])
    .default('auto');
}
