/**
 * Request attributes as kube-apiserver's audit policy checker sees them, and the conversion of an
 * HTTP method + URL into those attributes, following the apiserver's `RequestInfoFactory`.
 */
import type { policyFilter } from '@k8s-gen/collectors';

/**
 * The authenticated identity of a request: @k8s-gen/collectors' `EventUser`, which the event
 * readers and the shippers' filters share.
 */
export type UserInfo = policyFilter.EventUser;

/**
 * Everything the audit policy checker looks at for one request (the fields of @k8s-gen/collectors'
 * `EventRequestFields`, their one definition), plus the facts that decide which audit stages the
 * request produces.
 */
export interface RequestAttributes extends Omit<policyFilter.EventRequestFields, 'user'> {
  /**
   * The authenticated user. Absent when authentication failed (HTTP 401): the apiserver then
   * evaluates the policy without a user and emits only the `ResponseStarted` stage.
   */
  user?: UserInfo;
  /**
   * The identity asked for with `Impersonate-User`/`Impersonate-Group`. Informational only: audit
   * policies match the impersonator (`user`), because the audit filter runs before impersonation.
   */
  impersonatedUser?: UserInfo;
  /** The apiserver treats the request as long-running (watch, proxy, exec, logs, pprof...). */
  longRunning: boolean;
  /** The handler panicked: the request ends with a `Panic` stage instead of `ResponseComplete`. */
  panicked: boolean;
}

/** Verbs that kube-apiserver's long-running check accepts (`cmd/kube-apiserver/app/server.go`). */
const LONG_RUNNING_VERBS: ReadonlySet<string> = new Set(['watch', 'proxy']);
/** Subresources that make a resource request long-running. */
const LONG_RUNNING_SUBRESOURCES: ReadonlySet<string> = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

/**
 * The apiserver's long-running check: watch/proxy verbs, streaming subresources, and non-resource
 * paths under `/debug/pprof/`.
 */
export function isLongRunning(
  request: Pick<RequestAttributes, 'verb' | 'isResourceRequest' | 'subresource' | 'path'>,
): boolean {
  if (LONG_RUNNING_VERBS.has(request.verb)) return true;
  if (request.isResourceRequest && LONG_RUNNING_SUBRESOURCES.has(request.subresource)) return true;
  return !request.isResourceRequest && request.path.startsWith('/debug/pprof/');
}

/** Fields of a resource request a caller may give; the rest get neutral defaults. */
export type ResourceRequestInit = Partial<Omit<RequestAttributes, 'isResourceRequest'>> & { verb: string; resource: string };
/** Fields of a non-resource request a caller may give. */
export type NonResourceRequestInit = Partial<Omit<RequestAttributes, 'isResourceRequest' | 'apiGroup' | 'apiVersion' | 'namespace' | 'resource' | 'subresource' | 'name'>> & {
  verb: string;
  path: string;
};

/**
 * Builds the attributes of a resource request from the fields that matter, e.g.
 * `resourceRequest({ user: { name: 'alice', groups: [] }, verb: 'get', resource: 'secrets', namespace: 'a', name: 'x' })`.
 * `longRunning` defaults to the apiserver's own check; `path` defaults to the canonical URL path.
 */
export function resourceRequest(init: ResourceRequestInit): RequestAttributes {
  const apiGroup = init.apiGroup ?? '';
  const apiVersion = init.apiVersion ?? 'v1';
  const namespace = init.namespace ?? '';
  const subresource = init.subresource ?? '';
  const name = init.name ?? '';
  const path =
    init.path ??
    [
      apiGroup === '' ? '/api' : `/apis/${apiGroup}`,
      apiVersion,
      ...(namespace !== '' && !(init.resource === 'namespaces' && name === namespace) ? ['namespaces', namespace] : []),
      init.resource,
      ...(name !== '' ? [name] : []),
      ...(subresource !== '' ? [subresource] : []),
    ].join('/');
  const attributes: RequestAttributes = {
    ...(init.user !== undefined ? { user: init.user } : {}),
    ...(init.impersonatedUser !== undefined ? { impersonatedUser: init.impersonatedUser } : {}),
    verb: init.verb,
    isResourceRequest: true,
    path,
    apiGroup,
    apiVersion,
    namespace,
    resource: init.resource,
    subresource,
    name,
    longRunning: false,
    panicked: init.panicked ?? false,
  };
  attributes.longRunning = init.longRunning ?? isLongRunning(attributes);
  return attributes;
}

/** Builds the attributes of a non-resource request (`/healthz`, `/version`, `/apis`). */
export function nonResourceRequest(init: NonResourceRequestInit): RequestAttributes {
  const attributes: RequestAttributes = {
    ...(init.user !== undefined ? { user: init.user } : {}),
    ...(init.impersonatedUser !== undefined ? { impersonatedUser: init.impersonatedUser } : {}),
    verb: init.verb,
    isResourceRequest: false,
    path: init.path,
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    longRunning: false,
    panicked: init.panicked ?? false,
  };
  attributes.longRunning = init.longRunning ?? isLongRunning(attributes);
  return attributes;
}

/** An HTTP request as a client sends it, plus who sent it. */
export interface HttpRequest {
  /** HTTP method, any case (`GET`, `post`). */
  method: string;
  /** Path with optional query string (`/api/v1/pods?watch=1`), or an absolute URL. */
  url: string;
  /**
   * The authenticated user name. Omitted: the request is anonymous (`system:anonymous` in group
   * `system:unauthenticated`), unless `authenticationFailed` is set.
   */
  user?: string;
  /** Groups of the user. `system:authenticated` is added for named users, as the apiserver does. */
  groups?: readonly string[];
  /** The identity asked for with the `Impersonate-User`/`Impersonate-Group` headers. */
  impersonate?: { user: string; groups?: readonly string[] };
  /** The credentials were rejected (HTTP 401): no user, only `ResponseStarted` is emitted. */
  authenticationFailed?: boolean;
  /** The handler panicked. */
  panicked?: boolean;
}

/** An HTTP request the apiserver itself cannot turn into request attributes (it answers 500). */
export class RequestParseError extends Error {
  constructor(
    message: string,
    /** What to write instead. */
    readonly fix: string,
  ) {
    super(message);
    this.name = 'RequestParseError';
  }
}

const API_PREFIXES: ReadonlySet<string> = new Set(['api', 'apis']);
const GROUPLESS_API_PREFIXES: ReadonlySet<string> = new Set(['api']);
const SPECIAL_VERBS: ReadonlySet<string> = new Set(['proxy', 'watch']);
const SPECIAL_VERBS_WITHOUT_SUBRESOURCES: ReadonlySet<string> = new Set(['proxy']);
const NAMESPACE_SUBRESOURCES: ReadonlySet<string> = new Set(['status', 'finalize']);
const METHOD_VERBS: Readonly<Record<string, string>> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Go's `url.PathUnescape` for a path: `%XX` decoding; `+` stays a plus. */
function unescapePath(raw: string, url: string): string {
  if (!/^(?:[^%]|%[0-9A-Fa-f]{2})*$/.test(raw)) {
    throw new RequestParseError(`URL "${url}" has a malformed %-escape in its path`, 'escape "%" as "%25"');
  }
  // TextEncoder/TextDecoder rather than Buffer, so the engine's policy entry runs in browsers;
  // runs between escapes are encoded whole, so a character outside the BMP keeps its surrogate pair.
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  let at = 0;
  while (at < raw.length) {
    if (raw[at] === '%') {
      bytes.push(parseInt(raw.slice(at + 1, at + 3), 16));
      at += 3;
      continue;
    }
    const next = raw.indexOf('%', at);
    const end = next < 0 ? raw.length : next;
    for (const byte of encoder.encode(raw.slice(at, end))) bytes.push(byte);
    at = end;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Splits a URL into its decoded path and query parameters (first value per key kept in order). */
function splitUrl(url: string): { path: string; query: URLSearchParams } {
  let rest = url;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  const rawPath = question >= 0 ? rest.slice(0, question) : rest;
  const rawQuery = question >= 0 ? rest.slice(question + 1) : '';
  if (rawPath !== '' && !rawPath.startsWith('/')) {
    throw new RequestParseError(`URL "${url}" does not start with "/"`, `write the path from the root, e.g. "/${rawPath}"`);
  }
  return { path: unescapePath(rawPath === '' ? '/' : rawPath, url), query: new URLSearchParams(rawQuery) };
}

/**
 * Go's boolean query conversion: absent is false; `0` and `false` (any case) are false; anything
 * else, the empty string included, is true.
 */
function queryFlag(query: URLSearchParams, key: string): boolean {
  const value = query.get(key);
  if (value === null) return false;
  return !(value === '0' || value.toLowerCase() === 'false');
}

/**
 * The value that a field selector requires `field` to equal exactly (`metadata.name=x` or
 * `metadata.name==x`), or undefined when it does not pin the field or does not parse.
 */
function exactFieldMatch(selector: string, field: string): string | undefined {
  // Split on unescaped commas, keeping the escapes for the value parser.
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const char = selector[i] as string;
    if (char === '\\') {
      current += char + (selector[i + 1] ?? '');
      i++;
    } else if (char === ',') {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  // The apiserver sorts the terms before it looks for the first one that pins the field.
  terms.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parsed: Array<{ key: string; op: string; value: string }> = [];
  for (const term of terms) {
    if (term === '') continue;
    // The leftmost operator wins; at one position "!=" before "==" before "=". Keys are not trimmed.
    const match = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!match) return undefined;
    const value = unescapeSelectorValue(match[3] as string);
    if (value === undefined) return undefined;
    parsed.push({ key: match[1] as string, op: match[2] as string, value });
  }
  for (const term of parsed) {
    if (term.key === field && term.op !== '!=') return term.value;
  }
  return undefined;
}

/** Undoes `\\`, `\,` and `\=` escapes; any other escape, and a bare `=` or `,`, is invalid. */
function unescapeSelectorValue(raw: string): string | undefined {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] as string;
    if (char === '=' || char === ',') return undefined;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = raw[i + 1];
    if (next !== '\\' && next !== ',' && next !== '=') return undefined;
    out += next;
    i++;
  }
  return out;
}

/** Go's `strconv.ParseInt(value, 10, 64)` succeeds. */
function isInt64(value: string): boolean {
  if (!/^[+-]?\d+$/.test(value)) return false;
  const number = BigInt(value);
  return number >= -(2n ** 63n) && number < 2n ** 63n;
}

/** The apiserver's `path.IsValidPathSegmentName`: not `.`/`..`, no `/` or `%`. */
function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** Go's `strings.Trim(path, "/")` then split on `/`. */
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/**
 * Turns an HTTP method + URL + user into the attributes the audit policy checker sees, exactly as
 * kube-apiserver's `RequestInfoFactory` and authentication filters do: `/api` and `/apis`
 * prefixes, `namespaces/{ns}/...`, a Namespace object's own name as its namespace, GET of a
 * collection as `list` or (`?watch=...`) `watch`, DELETE of a collection as `deletecollection`,
 * HEAD as `get`, the legacy `/watch/` and `/proxy/` prefixes, `fieldSelector=metadata.name=X`
 * naming the object of a list or watch, and the lower-cased HTTP method as the verb of
 * non-resource requests.
 *
 * @throws RequestParseError for URLs the apiserver rejects before auditing (e.g. `/api/v1/watch`).
 */
export function requestFromHttp(http: HttpRequest): RequestAttributes {
  const { path, query } = splitUrl(http.url);
  const method = http.method.toUpperCase();
  const user = userOf(http);
  const base = {
    ...(user !== undefined ? { user } : {}),
    ...(http.impersonate !== undefined
      ? { impersonatedUser: { name: http.impersonate.user, groups: [...(http.impersonate.groups ?? [])] } }
      : {}),
    panicked: http.panicked ?? false,
  };
  const nonResource = (): RequestAttributes => nonResourceRequest({ ...base, verb: http.method.toLowerCase(), path });

  let parts = splitPath(path);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0] as string)) return nonResource();
  const prefix = parts[0] as string;
  parts = parts.slice(1);
  let apiGroup = '';
  if (!GROUPLESS_API_PREFIXES.has(prefix)) {
    if (parts.length < 3) return nonResource();
    apiGroup = parts[0] as string;
    parts = parts.slice(1);
  }
  const apiVersion = parts[0] as string;
  parts = parts.slice(1);

  let verb: string;
  if (SPECIAL_VERBS.has(parts[0] as string)) {
    if (parts.length < 2) {
      throw new RequestParseError(
        `URL "${http.url}" names the "${parts[0]}" prefix without a resource; the apiserver answers 500 before auditing`,
        `add the resource after "/${parts[0]}/", e.g. "/${parts[0]}/namespaces/default/pods"`,
      );
    }
    verb = parts[0] as string;
    parts = parts.slice(1);
  } else {
    verb = METHOD_VERBS[method] ?? '';
  }

  let namespace = '';
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      namespace = parts[1] as string;
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] as string)) parts = parts.slice(2);
    }
  }

  let resource = '';
  let name = '';
  let subresource = '';
  if (parts.length >= 3 && !SPECIAL_VERBS_WITHOUT_SUBRESOURCES.has(verb)) subresource = parts[2] as string;
  if (parts.length >= 2) name = parts[1] as string;
  if (parts.length >= 1) resource = parts[0] as string;

  if (name === '' && verb === 'get') {
    verb = queryFlag(query, 'watch') ? 'watch' : 'list';
    const selector = query.get('fieldSelector');
    // When any list option fails to decode, the apiserver keeps only the watch flag.
    const badInteger = ['limit', 'timeoutSeconds'].some((key) => {
      const value = query.get(key);
      return value !== null && value !== '' && !isInt64(value);
    });
    if (selector !== null && !badInteger) {
      const selected = exactFieldMatch(selector, 'metadata.name');
      if (selected !== undefined && isValidPathSegmentName(selected)) name = selected;
    }
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';

  return resourceRequest({ ...base, verb, path, apiGroup, apiVersion, namespace, resource, subresource, name });
}

/** The identity the authentication filters attach to a request. */
function userOf(http: HttpRequest): UserInfo | undefined {
  if (http.authenticationFailed) return undefined;
  if (http.user === undefined || http.user === 'system:anonymous') {
    return { name: 'system:anonymous', groups: unique(['system:unauthenticated', ...(http.groups ?? [])]) };
  }
  return { name: http.user, groups: unique([...(http.groups ?? []), 'system:authenticated']) };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
