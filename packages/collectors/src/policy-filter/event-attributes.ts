/**
 * The request attributes an audit policy looks at, as a logged event records them. This is the one
 * home of that derivation: `requestFieldsFromEvent` here (which @k8s-gen/engine's
 * `attributesFromEvent` is built on, for cost replay and explain), and beside it the same
 * derivation in Lua (for the Fluent Bit filter) and in VRL (for the Vector transform). A change to
 * one must be made to all three; the differential tests run the Lua in a real Lua 5.4 and the VRL
 * in the interpreter of `vrl-parser.ts` against `requestFieldsFromEvent` + `evaluate()`.
 *
 * The rules, from what kube-apiserver writes (k8s.io/apiserver `audit/request.go`,
 * `LogRequestMetadata`): the user is `user.username` (an event without one failed authentication
 * and has no user), groups are `user.groups`; the verb is `verb`; a request is a resource request
 * when `objectRef.resource` is set, and then its group, version, namespace, name and subresource
 * come from `objectRef`; the path is `requestURI` up to the first `?`. A field that is missing or
 * not text counts as empty; group entries that are not text never match a rule.
 *
 * One exception: a request for a Namespace object (`/api/v1/namespaces/foo`, or its `status` or
 * `finalize`) is matched by the apiserver as being in namespace `foo` (its RequestInfo takes the
 * namespace from the path), but the logged objectRef leaves the namespace out. The path still has
 * it, so it is taken from there when objectRef has none.
 */

/** The path of a Namespace object and of its subresources, before the namespace's name. */
export const NAMESPACE_OBJECT_PREFIX = '/api/v1/namespaces/';

/** The authenticated identity of a request, as the policy checker matches it. */
export interface EventUser {
  /** User name, e.g. `alice` or `system:serviceaccount:kube-system:default`. */
  readonly name: string;
  /** Every group the authenticator reported, e.g. `system:authenticated`. */
  readonly groups: readonly string[];
}

/**
 * What an audit policy rule can test about a request: the one definition of these fields, which
 * @k8s-gen/engine's `RequestAttributes` extends with what decides the request's stages.
 */
export interface EventRequestFields {
  /** Undefined when the request has no user name (authentication failed). */
  user: EventUser | undefined;
  /** Kube verb (`get`, `list`, `watch`, ...) or, for non-resource requests, the lower-cased HTTP method. */
  verb: string;
  /** True for requests under `/api/v1/...` or `/apis/{group}/{version}/...` that name a resource. */
  isResourceRequest: boolean;
  /** The decoded URL path, without the query string. */
  path: string;
  /** API group of a resource request (`""` for the core group). */
  apiGroup: string;
  /** API version of a resource request (`v1`). */
  apiVersion: string;
  /** Namespace of a resource request; `""` for cluster-scoped requests. */
  namespace: string;
  /** Resource of a resource request (`pods`). */
  resource: string;
  /** Subresource (`status`, `log`), `""` when there is none. */
  subresource: string;
  /** Object name, `""` for collections (and for create, unless posted to a named path). */
  name: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function fieldsOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The request attributes of a logged event (a decoded audit.k8s.io/v1 Event). Never throws: a
 * field that is missing or of the wrong type counts as empty.
 *
 * @example
 * ```ts
 * requestFieldsFromEvent({ verb: 'get', requestURI: '/api/v1/namespaces/a/pods/p?x=1', user: { username: 'alice', groups: ['dev'] }, objectRef: { resource: 'pods', namespace: 'a', name: 'p', apiVersion: 'v1' } });
 * // { user: { name: 'alice', groups: ['dev'] }, verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/a/pods/p', apiGroup: '', ... }
 * ```
 */
export function requestFieldsFromEvent(event: unknown): EventRequestFields {
  const record = fieldsOf(event) ?? {};
  const user = fieldsOf(record.user);
  const username = text(user?.username);
  const groups = Array.isArray(user?.groups) ? (user!.groups as unknown[]).filter((group): group is string => typeof group === 'string') : [];
  const uri = text(record.requestURI);
  const query = uri.indexOf('?');
  const ref = fieldsOf(record.objectRef);
  const resource = text(ref?.resource);
  const isResourceRequest = resource !== '';
  const path = query < 0 ? uri : uri.slice(0, query);
  const apiGroup = isResourceRequest ? text(ref!.apiGroup) : '';
  let namespace = isResourceRequest ? text(ref!.namespace) : '';
  if (resource === 'namespaces' && apiGroup === '' && namespace === '' && path.startsWith(NAMESPACE_OBJECT_PREFIX)) {
    const rest = path.slice(NAMESPACE_OBJECT_PREFIX.length);
    const slash = rest.indexOf('/');
    namespace = slash < 0 ? rest : rest.slice(0, slash);
  }
  // One object literal with every key keeps a single hidden class on the cost replay's hot path.
  return {
    user: username !== '' ? { name: username, groups } : undefined,
    verb: text(record.verb),
    isResourceRequest,
    path,
    apiGroup,
    apiVersion: isResourceRequest ? text(ref!.apiVersion) : '',
    namespace,
    resource,
    subresource: isResourceRequest ? text(ref!.subresource) : '',
    name: isResourceRequest ? text(ref!.name) : '',
  };
}

/**
 * The same derivation in Lua 5.1 to 5.4 (Fluent Bit embeds LuaJIT): `k8s_gen_request(record)`
 * returns a table with `has_user`, `user`, `groups` (the raw list; entries that are not strings
 * never match), `verb`, `path`, `is_resource`, `group`, `namespace`, `resource`, `subresource`,
 * `name` and `combined` (`resource/subresource`, or `resource`).
 */
export const LUA_REQUEST_FIELDS = `local function k8s_gen_text(value)
  if type(value) == "string" then return value end
  return ""
end

local function k8s_gen_fields(value)
  if type(value) == "table" then return value end
  return {}
end

local function k8s_gen_request(record)
  local request = {}
  local user = k8s_gen_fields(record["user"])
  request.user = k8s_gen_text(user["username"])
  request.has_user = request.user ~= ""
  request.groups = k8s_gen_fields(user["groups"])
  request.verb = k8s_gen_text(record["verb"])
  local uri = k8s_gen_text(record["requestURI"])
  local query = string.find(uri, "?", 1, true)
  if query then request.path = string.sub(uri, 1, query - 1) else request.path = uri end
  local ref = k8s_gen_fields(record["objectRef"])
  request.resource = k8s_gen_text(ref["resource"])
  request.is_resource = request.resource ~= ""
  if request.is_resource then
    request.group = k8s_gen_text(ref["apiGroup"])
    request.namespace = k8s_gen_text(ref["namespace"])
    request.subresource = k8s_gen_text(ref["subresource"])
    request.name = k8s_gen_text(ref["name"])
  else
    request.group = ""
    request.namespace = ""
    request.subresource = ""
    request.name = ""
  end
  if request.resource == "namespaces" and request.group == "" and request.namespace == "" and string.sub(request.path, 1, ${NAMESPACE_OBJECT_PREFIX.length}) == "${NAMESPACE_OBJECT_PREFIX}" then
    local rest = string.sub(request.path, ${NAMESPACE_OBJECT_PREFIX.length + 1})
    local slash = string.find(rest, "/", 1, true)
    if slash then request.namespace = string.sub(rest, 1, slash - 1) else request.namespace = rest end
  end
  if request.subresource == "" then request.combined = request.resource else request.combined = request.resource .. "/" .. request.subresource end
  return request
end
`;

/**
 * The same derivation in VRL: statements that set `k8s_user`, `k8s_has_user`, `k8s_groups`,
 * `k8s_verb`, `k8s_path`, `k8s_is_resource`, `k8s_group`, `k8s_namespace`, `k8s_resource`,
 * `k8s_subresource`, `k8s_name` and `k8s_combined` from the event (`.`).
 */
export const VRL_REQUEST_FIELDS = `k8s_user = if is_string(.user.username) { string!(.user.username) } else { "" }
k8s_has_user = k8s_user != ""
k8s_groups = if is_array(.user.groups) { array!(.user.groups) } else { [] }
k8s_verb = if is_string(.verb) { string!(.verb) } else { "" }
k8s_uri = if is_string(.requestURI) { string!(.requestURI) } else { "" }
k8s_uri_parts = split(k8s_uri, "?", 2)
k8s_path = string(k8s_uri_parts[0]) ?? ""
k8s_resource = if is_string(.objectRef.resource) { string!(.objectRef.resource) } else { "" }
k8s_is_resource = k8s_resource != ""
k8s_group = if k8s_is_resource && is_string(.objectRef.apiGroup) { string!(.objectRef.apiGroup) } else { "" }
k8s_namespace = if k8s_is_resource && is_string(.objectRef.namespace) { string!(.objectRef.namespace) } else { "" }
k8s_subresource = if k8s_is_resource && is_string(.objectRef.subresource) { string!(.objectRef.subresource) } else { "" }
k8s_name = if k8s_is_resource && is_string(.objectRef.name) { string!(.objectRef.name) } else { "" }
if k8s_resource == "namespaces" && k8s_group == "" && k8s_namespace == "" && starts_with(k8s_path, "${NAMESPACE_OBJECT_PREFIX}") {
  k8s_path_parts = split(k8s_path, "/", ${NAMESPACE_OBJECT_PREFIX.split('/').length + 1})
  k8s_namespace = string(k8s_path_parts[${NAMESPACE_OBJECT_PREFIX.split('/').length - 1}]) ?? ""
}
k8s_combined = if k8s_subresource == "" { k8s_resource } else { k8s_resource + "/" + k8s_subresource }
`;
