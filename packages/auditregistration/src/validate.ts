/**
 * AuditSink validation with the rules of the 1.15–1.18 apiserver (auditregistration validation
 * plus the shared webhook client-config checks), including its quirks: the early return on a
 * non-None level without stages, the unchecked URL scheme, and the swapped service name/namespace
 * messages.
 */
import { isDnsSubdomain, parseKubernetesVersion } from '@k8s-gen/runtime';
import { en } from 'zod/locales';
import { AuditSinkSchema, LevelValues, type Problem, ProblemCollector, problemsFromZod, StageValues } from './generated/index.js';

/** zod's English messages. */
const ENGLISH = en().localeError;

/** Options of {@link validateAuditSink}. */
export interface ValidateAuditSinkOptions {
  /**
   * Target kube-apiserver release (`1.16`, `v1.18.3`). AuditSink exists only in 1.13 to 1.18; any
   * other release is an error, and `service.port` needs 1.15 or later.
   */
  kubernetesVersion?: string;
  /** File name copied into every problem. */
  file?: string;
}

/** The first and last Kubernetes minor releases that serve auditregistration.k8s.io/v1alpha1. */
export const AUDIT_SINK_RELEASES = { first: '1.13', last: '1.18', removedIn: '1.19' } as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMinor(text: string): number | undefined {
  const parsed = parseKubernetesVersion(text, { oldest: 0 });
  return parsed.ok ? parsed.version.minor : undefined;
}

/** Reasons a DNS-1123 subdomain is invalid, empty when it is valid. */
function dnsSubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push('must be no more than 253 characters');
  if (!isDnsSubdomain(value, { maxLength: Number.POSITIVE_INFINITY })) {
    errors.push("must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  }
  return errors;
}

/**
 * The parts of a URL the way Go's `url.Parse` splits them, or a parse error. Only what the
 * webhook URL rules look at: scheme, user info, host, query and fragment.
 */
function splitUrl(text: string): { scheme: string; userinfo: boolean; host: string; query: string; fragment: string } | { error: string } {
  if (/[\u0000-\u001f\u007f]/.test(text)) return { error: 'the URL contains control characters' };
  let rest = text;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const question = rest.indexOf('?');
  if (question >= 0) {
    query = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  const scheme = schemeMatch?.[1] ?? '';
  if (schemeMatch !== null) rest = rest.slice(schemeMatch[0].length);
  else if (/^[^/]*:/.test(rest)) return { error: 'the first path segment of a URL without a scheme cannot contain a colon' };
  if (!rest.startsWith('//')) return { scheme, userinfo: false, host: '', query, fragment };
  const authority = rest.slice(2).split('/')[0]!;
  const at = authority.lastIndexOf('@');
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)!;
  const port = portMatch[2];
  if (port !== undefined && !/^\d*$/.test(port)) return { error: `invalid port ":${port}" after the host` };
  if (/[\s<>"{}|\\^`]/.test(portMatch[1]!)) return { error: 'the host contains characters a URL cannot have' };
  return { scheme, userinfo: at >= 0, host: portMatch[1]!, query, fragment };
}


/** Paths whose structure `validatePolicy` checks itself, to keep the apiserver's early return. */
function isPolicyLevelOrStages(path: string): boolean {
  return path === 'spec.policy.level' || path === 'spec.policy.stages' || path.startsWith('spec.policy.stages[');
}

function validatePolicy(c: ProblemCollector, policy: Record<string, unknown>): void {
  const level = policy['level'];
  const stages = policy['stages'];
  const collected = new ProblemCollector(undefined);
  if (stages !== undefined && !Array.isArray(stages)) {
    collected.add('error', 'wrong-type', 'spec.policy.stages', 'Expected a list of stages.', `Write a list such as [ResponseComplete]; allowed stages: ${StageValues.join(', ')}.`);
  }
  (Array.isArray(stages) ? stages : []).forEach((stage: unknown, index) => {
    if (typeof stage !== 'string' || !(StageValues as readonly string[]).includes(stage)) {
      collected.add('error', 'stage-unsupported', `spec.policy.stages[${index}]`, `${JSON.stringify(stage)} is not an audit stage (names are case-sensitive).`, `Use one of ${StageValues.join(', ')}.`);
    }
  });
  if (level === undefined || level === '') {
    collected.add('error', 'level-required', 'spec.policy.level', 'The sink has no audit level.', `Set level to one of ${LevelValues.join(', ')}.`);
  } else if (typeof level !== 'string' || !(LevelValues as readonly string[]).includes(level)) {
    collected.add('error', 'level-unsupported', 'spec.policy.level', `${JSON.stringify(level)} is not an audit level (names are case-sensitive).`, `Use one of ${LevelValues.join(', ')}.`);
  }
  if (level !== 'None' && (!Array.isArray(stages) || stages.length === 0)) {
    // The apiserver returns this error alone, dropping any other policy error found above.
    c.add('error', 'stages-required', 'spec.policy.stages', 'A sink whose level is not None must list the stages to send; the apiserver reports only this error for the policy until it is fixed.', 'Add stages, for example [ResponseComplete], or set level to None.');
    return;
  }
  for (const problem of collected.problems) c.add(problem.severity, problem.code, problem.path, problem.message, problem.fix);
}

function validateUrl(c: ProblemCollector, url: string): void {
  const path = 'spec.webhook.clientConfig.url';
  const parts = splitUrl(url);
  if ('error' in parts) {
    c.add('error', 'url-invalid', path, `The URL does not parse: ${parts.error}.`, 'Write a full URL such as https://audit.example.com/events.');
    return;
  }
  if (parts.host === '') c.add('error', 'url-host-required', path, 'The URL has no host.', 'Write a full URL with a host, such as https://audit.example.com/events.');
  if (parts.userinfo) c.add('error', 'url-userinfo', path, 'User information (user:password@) is not permitted in the URL.', 'Remove the credentials from the URL; sinks are called without client credentials.');
  if (parts.fragment !== '') c.add('error', 'url-fragment', path, 'Fragments (#...) are not permitted in the URL.', 'Remove the #fragment.');
  if (parts.query !== '') c.add('error', 'url-query', path, 'Query parameters (?...) are not permitted in the URL.', 'Remove the ?query; encode any parameter in the path instead.');
  if (parts.host !== '' && parts.scheme.toLowerCase() !== 'https') {
    c.add('warning', 'url-not-https', path, `The scheme is "${parts.scheme || '(none)'}", not https. The apiserver accepts it (it never checks the scheme), but events would travel unencrypted and the receiver unauthenticated.`, 'Use an https:// URL, with caBundle if the receiver\'s certificate is not signed by a public CA.');
  }
}

function validateService(c: ProblemCollector, service: Record<string, unknown>, minor: number | undefined): void {
  const at = 'spec.webhook.clientConfig.service';
  // The 1.13–1.18 validator passes name and namespace to a helper in swapped order, so the
  // apiserver reports a missing name under `namespace` and vice versa; we report the real field.
  if (typeof service['name'] !== 'string' || service['name'] === '') {
    c.add('error', 'service-name-required', `${at}.name`, 'The service name is required (the apiserver reports this as "service namespace is required", a known swap).', 'Set service.name to the Service that receives the events.');
  }
  if (typeof service['namespace'] !== 'string' || service['namespace'] === '') {
    c.add('error', 'service-namespace-required', `${at}.namespace`, 'The service namespace is required (the apiserver reports this as "service name is required", a known swap).', 'Set service.namespace to the namespace of that Service.');
  }
  const port = service['port'];
  if (port !== undefined) {
    if (minor !== undefined && minor < 15) {
      c.add('error', 'field-not-in-version', `${at}.port`, `service.port exists only from Kubernetes 1.15; 1.${minor} drops it and always calls port 443.`, 'Remove port (the Service must listen on 443), or target Kubernetes 1.15 to 1.18.');
    } else if (typeof port === 'number' && (port < 1 || port > 65535)) {
      c.add('error', 'service-port-range', `${at}.port`, `Port ${port} is not valid: it must be between 1 and 65535, inclusive.`, 'Use the Service port that serves the audit receiver, for example 443.');
    }
  }
  const urlPath = service['path'];
  if (typeof urlPath !== 'string' || urlPath === '' || urlPath === '/') return;
  const pathAt = `${at}.path`;
  if (urlPath === '//') {
    c.add('error', 'service-path-invalid', pathAt, 'segment[0] of the path may not be empty.', 'Use a path such as /audit, or leave it out.');
    return;
  }
  if (!urlPath.startsWith('/')) c.add('error', 'service-path-invalid', pathAt, 'The path must start with a "/".', `Write /${urlPath}.`);
  let toCheck = urlPath.slice(1);
  if (toCheck.endsWith('/')) toCheck = toCheck.slice(0, -1);
  toCheck.split('/').forEach((segment, index) => {
    if (segment === '') {
      c.add('error', 'service-path-invalid', pathAt, `segment[${index}] of the path may not be empty.`, 'Remove the doubled "/".');
      return;
    }
    for (const failure of dnsSubdomainErrors(segment)) {
      c.add('error', 'service-path-invalid', pathAt, `segment[${index}] "${segment}" ${failure}.`, 'Use lower-case letters, digits, "-" and "." in each path segment (for example /audit/v1).');
    }
  });
}

/**
 * Validates an AuditSink (auditregistration.k8s.io/v1alpha1) the way kube-apiserver 1.15–1.18
 * does, and returns every problem; an empty list means the apiserver would accept it.
 *
 * This API exists only in Kubernetes 1.13 to 1.18 (alpha, off by default) and was removed in
 * 1.19: a `kubernetesVersion` outside that range is reported as an error.
 *
 * Rules: unknown fields and wrong types; metadata.name a DNS subdomain and no namespace; policy
 * level required and valid, stages valid, and a non-None level without stages reported alone
 * (the apiserver's early return); throttle qps and burst positive when set; exactly one of url and
 * service; url parses, has a host, no user info, no query, no fragment (the scheme is not checked,
 * but a non-https URL gets a warning); service name and namespace required, port 1–65535 and only
 * from 1.15, path segments non-empty lower-case DNS subdomains; caBundle valid base64.
 */
export function validateAuditSink(sink: unknown, options: ValidateAuditSinkOptions = {}): Problem[] {
  const c = new ProblemCollector(options.file);
  let minor: number | undefined;
  if (options.kubernetesVersion !== undefined) {
    minor = parseMinor(options.kubernetesVersion);
    if (minor === undefined) {
      c.add('error', 'invalid-kubernetes-version', '', `"${options.kubernetesVersion}" is not a Kubernetes 1.x release.`, 'Pass a release such as "1.18" or "v1.16.2".');
    } else if (minor >= 19) {
      c.add('error', 'api-removed', 'apiVersion', `auditregistration.k8s.io/v1alpha1 (AuditSink) was removed in Kubernetes ${AUDIT_SINK_RELEASES.removedIn}; ${options.kubernetesVersion} does not serve it.`, 'Use the static webhook backend instead (--audit-webhook-config-file with a kubeconfig and an audit policy file).');
    } else if (minor < 13) {
      c.add('error', 'api-not-available', 'apiVersion', `AuditSink first appeared in Kubernetes ${AUDIT_SINK_RELEASES.first}; ${options.kubernetesVersion} does not serve it.`, 'Target Kubernetes 1.13 to 1.18, or use the static webhook backend.');
    }
  }
  // zod's mini API loads no messages; problemsFromZod shows zod's own for issues it has no words of
  // its own for, so the English ones are given, as zod's classic API sets them.
  const structural = AuditSinkSchema.safeParse(sink, { error: ENGLISH });
  if (!structural.success) {
    for (const problem of problemsFromZod(structural.error, { input: sink, schema: AuditSinkSchema })) {
      if (!isPolicyLevelOrStages(problem.path)) c.add(problem.severity, problem.code, problem.path, problem.message, problem.fix);
    }
  }
  if (!isObject(sink)) return c.problems;

  const metadata = isObject(sink['metadata']) ? sink['metadata'] : {};
  const name = metadata['name'];
  if (typeof name !== 'string' || name === '') {
    if (isObject(sink['metadata'])) c.add('error', 'name-required', 'metadata.name', 'The sink has no name.', 'Set metadata.name, for example "mysink".');
  } else {
    for (const failure of dnsSubdomainErrors(name)) c.add('error', 'name-invalid', 'metadata.name', `The name "${name}" ${failure}.`, 'Use a DNS subdomain such as "my-sink".');
  }
  if (typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '') {
    c.add('error', 'namespace-not-allowed', 'metadata.namespace', 'AuditSink is cluster-scoped, so it cannot have a namespace.', 'Remove metadata.namespace.');
  }

  const spec = isObject(sink['spec']) ? sink['spec'] : undefined;
  if (spec === undefined) return c.problems;
  if (isObject(spec['policy'])) validatePolicy(c, spec['policy']);
  const webhook = isObject(spec['webhook']) ? spec['webhook'] : undefined;
  if (webhook === undefined) return c.problems;
  const throttle = isObject(webhook['throttle']) ? webhook['throttle'] : {};
  for (const key of ['qps', 'burst'] as const) {
    const value = throttle[key];
    if (typeof value === 'number' && value <= 0) {
      c.add('error', 'throttle-not-positive', `spec.webhook.throttle.${key}`, `${key} is ${value}; it must be greater than 0 when set.`, `Set ${key} to a positive number, or leave it out for the default (${key === 'qps' ? 10 : 15}).`);
    }
  }
  const clientConfig = isObject(webhook['clientConfig']) ? webhook['clientConfig'] : undefined;
  if (clientConfig === undefined) return c.problems;
  const url = clientConfig['url'];
  const service = clientConfig['service'];
  if ((url !== undefined) === (service !== undefined)) {
    c.add('error', 'url-or-service', 'spec.webhook.clientConfig', url === undefined ? 'Neither url nor service is set: exactly one of them is required.' : 'Both url and service are set: exactly one of them is allowed.', 'Keep exactly one of url and service.');
  }
  if (typeof url === 'string') validateUrl(c, url);
  if (isObject(service)) validateService(c, service, minor);
  const caBundle = clientConfig['caBundle'];
  if (typeof caBundle === 'string' && !BASE64.test(caBundle)) {
    c.add('error', 'ca-bundle-base64', 'spec.webhook.clientConfig.caBundle', 'caBundle is not valid base64, so the object cannot be decoded.', 'Base64-encode the PEM bundle as a whole (for example `base64 -w0 ca.crt`).');
  }
  return c.problems;
}
