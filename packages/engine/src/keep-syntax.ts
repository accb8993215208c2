/**
 * The `--keep` syntax of `k8s-gen suggest`: one requirement in one argument.
 *
 * ```
 * KEEP      = SELECTOR ":" BOUND            the bound follows the last ":" (user names hold ":")
 * BOUND     = LEVEL | "=" LEVEL | "<=" LEVEL  at least, exactly, at most
 * SELECTOR  = "*" | TERM *("," TERM)        every term must hold
 * TERM      = RESOURCE | KEY "=" VALUE *("|" VALUE)
 * RESOURCE  = resource ["/" subresource] ["." group]   secrets, pods/exec, deployments.apps
 * KEY       = user | usergroup | verb | namespace | group | resource | name | url
 * ```
 *
 * `group` is the API group of `resource` (the core group when left out); `usergroup` is a group
 * of the user. Examples: `secrets:=Metadata`, `user=system:admin:RequestResponse`,
 * `group=apps,resource=deployments,verb=create:Request`, `url=/healthz*|/readyz*:<=None`.
 */
import { LevelValues, validate, type GroupResources, type Level } from '@k8s-gen/audit';
import { closestName, unsafeCharacterIn, type Problem } from '@k8s-gen/runtime';
import { groupWildcardSupported, type EvaluateOptions } from './evaluate.js';
import { normalizeSelector, selectorRule, type RequestSelector, type Requirement } from './requirement.js';

/** The keys a term may have. */
export const KEEP_KEYS = ['user', 'usergroup', 'verb', 'namespace', 'group', 'resource', 'name', 'url'] as const;
type KeepKey = (typeof KEEP_KEYS)[number];

/** The verbs requests have (`suggest` warns about any other). */
const KNOWN_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy', 'head', 'post', 'put', 'options'];
const MAX_KEEP_LENGTH = 4096;
const MAX_VALUE_LENGTH = 1024;

/** What {@link parseKeep} found: the requirement, or the problems that stopped it. */
export interface ParsedKeep {
  readonly requirement?: Requirement;
  /** Problems at `keep[index]`; any error means no requirement. */
  readonly problems: Problem[];
}

/**
 * Reads one `--keep` argument. Never throws; every value that would reach the policy is checked
 * here (no control or invisible characters, no white space, bounded length) and the selector is
 * validated as a policy rule of the target release.
 *
 * @param index - the position of the argument among the keeps, for `keep[index]` paths and ids.
 * @example
 * ```ts
 * parseKeep('group=apps,resource=deployments,verb=create:Request', 0).requirement?.selector;
 * // { verbs: ['create'], resources: [{ group: 'apps', resources: ['deployments'] }] }
 * parseKeep('secrets:Metdata', 1).problems[0]?.fix; // 'did you mean Metadata?'
 * ```
 */
export function parseKeep(text: string, index: number, options: EvaluateOptions = {}): ParsedKeep {
  const path = `keep[${index}]`;
  const problems: Problem[] = [];
  const error = (code: string, message: string, fix: string): ParsedKeep => ({ problems: [...problems, { severity: 'error', code, path, message, fix }] });
  if (typeof text !== 'string' || text === '') return error('keep-syntax', `The rule is empty`, 'write SELECTOR:LEVEL, e.g. secrets:Metadata');
  if (text.length > MAX_KEEP_LENGTH) return error('keep-syntax', `The rule is ${text.length} characters long, more than ${MAX_KEEP_LENGTH}`, 'split it into several --keep rules');
  const bad = unsafeCharacterIn(text, { allowWhiteSpace: false });
  if (bad !== undefined) return error('keep-value', `The rule holds ${bad.description} at position ${bad.index + 1}; names in a policy never do, and it could change the file it is written into`, 'remove that character');
  const colon = text.lastIndexOf(':');
  if (colon < 0) return error('keep-syntax', `${JSON.stringify(text)} has no ":LEVEL"`, `add the level, e.g. ${text}:Metadata`);
  const selectorText = text.slice(0, colon);
  const boundText = text.slice(colon + 1);
  const operator = boundText.startsWith('<=') ? '<=' : boundText.startsWith('>=') ? '>=' : boundText.startsWith('=') ? '=' : '';
  const levelText = boundText.slice(operator.length);
  if (!(LevelValues as readonly string[]).includes(levelText)) {
    const suggestion = closestName(levelText, LevelValues);
    return error('keep-level', `${JSON.stringify(levelText)} is not an audit level (${LevelValues.join(', ')})`, suggestion === undefined ? `end with :LEVEL, :=LEVEL or :<=LEVEL` : `did you mean ${suggestion}?`);
  }
  const level = levelText as Level;
  const atLeast = operator === '<=' ? undefined : level;
  const atMost = operator === '=' || operator === '<=' ? level : undefined;
  if (atLeast === 'None' && atMost === undefined) return error('keep-level', `The rule asks for at least None, which every request meets`, `write ${selectorText}:<=None to drop those requests`);

  const parsed = parseSelector(selectorText, path, options);
  if ('problem' in parsed) return { problems: [...problems, parsed.problem] };
  problems.push(...parsed.warnings);
  const selector = normalizeSelector(parsed.selector);
  // The selector must be a rule the apiserver accepts in the target release.
  const checked = validate(
    { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [selectorRule(selector, level)] },
    options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion },
  );
  for (const problem of checked) problems.push({ ...problem, path: problem.path.startsWith('rules[0]') ? `${path}${problem.path.slice('rules[0]'.length)}` : path });
  if (problems.some((problem) => problem.severity === 'error')) return { problems };
  const bound = operator === '=' ? `exactly ${level}` : operator === '<=' ? `at most ${level}` : `at least ${level}`;
  return {
    requirement: {
      id: path,
      source: 'keep',
      description: `--keep ${text}: ${bound}`,
      selector,
      ...(atLeast !== undefined ? { atLeast } : {}),
      ...(atMost !== undefined ? { atMost } : {}),
      ...(Object.keys(selector).length === 0 && atLeast !== undefined ? { floor: true } : {}),
    },
    problems,
  };
}

type SelectorResult = { selector: RequestSelector; warnings: Problem[] } | { problem: Problem };

function parseSelector(text: string, path: string, options: EvaluateOptions): SelectorResult {
  const problem = (code: string, message: string, fix: string): SelectorResult => ({ problem: { severity: 'error', code, path, message, fix } });
  const warnings: Problem[] = [];
  if (text === '*') return { selector: {}, warnings };
  if (text === '') return problem('keep-syntax', `The rule has no selector before the level`, 'write what to keep before ":", e.g. secrets, user=alice or * for every request');
  const values = new Map<KeepKey, string[]>();
  const shorthands: GroupResources[] = [];
  for (const term of text.split(',')) {
    if (term === '') return problem('keep-syntax', `The rule has an empty term (two commas, or a comma at an end)`, 'remove the extra comma');
    const equals = term.indexOf('=');
    if (equals < 0) {
      const entry = parseResourceShorthand(term);
      if (entry === undefined) return problem('keep-syntax', `${JSON.stringify(term)} is neither KEY=VALUE nor a resource such as pods/exec or deployments.apps`, `use one of the keys ${KEEP_KEYS.join(', ')}`);
      shorthands.push(entry);
      continue;
    }
    const key = term.slice(0, equals);
    if (!(KEEP_KEYS as readonly string[]).includes(key)) {
      const suggestion = closestName(key, KEEP_KEYS);
      return problem('keep-unknown-key', `${JSON.stringify(key)} is not a key (${KEEP_KEYS.join(', ')})`, suggestion === undefined ? `use one of ${KEEP_KEYS.join(', ')}` : `did you mean ${suggestion}?`);
    }
    if (values.has(key as KeepKey)) return problem('keep-repeated-key', `The rule gives ${key}= twice`, `list the values once, separated by |: ${key}=a|b`);
    const list = term.slice(equals + 1).split('|');
    if (list.some((value) => value === '')) return problem('keep-value', `${key}= has an empty value`, `give ${key} a value${key === 'namespace' ? ' (cluster-scoped requests cannot be selected by namespace here)' : ''}`);
    const long = list.find((value) => value.length > MAX_VALUE_LENGTH);
    if (long !== undefined) return problem('keep-value', `a ${key} value is ${long.length} characters long, more than ${MAX_VALUE_LENGTH}`, 'shorten it');
    values.set(key as KeepKey, list);
  }
  const get = (key: KeepKey): string[] | undefined => values.get(key);
  const selector: { -readonly [K in keyof RequestSelector]: RequestSelector[K] } = {};
  if (get('user')) selector.users = get('user');
  if (get('usergroup')) selector.userGroups = get('usergroup');
  if (get('verb')) {
    selector.verbs = get('verb');
    for (const verb of selector.verbs!) {
      if (KNOWN_VERBS.includes(verb)) continue;
      const suggestion = closestName(verb.toLowerCase(), KNOWN_VERBS);
      warnings.push({
        severity: /[A-Z]/.test(verb) ? 'error' : 'warning',
        code: 'keep-verb',
        path,
        message: /[A-Z]/.test(verb) ? `verb ${JSON.stringify(verb)} has capital letters; request verbs are lower-case, so it never matches` : `${JSON.stringify(verb)} is not a verb requests have (${KNOWN_VERBS.join(', ')})`,
        fix: suggestion === undefined ? 'check the verb' : `did you mean ${suggestion}?`,
      });
    }
  }
  if (get('namespace')) selector.namespaces = get('namespace');
  const urls = get('url');
  const resourceKeys = (['group', 'resource', 'name', 'namespace'] as const).filter((key) => values.has(key));
  if (urls !== undefined) {
    if (resourceKeys.length > 0 || shorthands.length > 0) return problem('keep-conflict', `The rule names both url= and ${resourceKeys.length > 0 ? `${resourceKeys[0]}=` : 'a resource'}; a request is either a resource request or a URL request`, 'split it into two --keep rules');
    selector.nonResourceURLs = urls;
    return { selector, warnings };
  }
  if (shorthands.length > 0 && (values.has('group') || values.has('resource'))) return problem('keep-conflict', `The rule names resources both as RESOURCE[.GROUP] and with group=/resource=`, 'use one of the two forms');
  if (values.has('group') && !values.has('resource')) return problem('keep-syntax', `group= needs resource= (a request of any resource of a group is resource=*)`, `add resource=*, e.g. group=${get('group')![0]},resource=*`);
  if (values.has('name') && !values.has('resource') && shorthands.length === 0) return problem('keep-syntax', `name= needs a resource`, 'add the resource the names belong to, e.g. configmaps,name=controller-leader');
  const groups = get('group') ?? [''];
  for (const group of groups) {
    if (group === '*' && !groupWildcardSupported(options)) return problem('keep-value', `group=* means every API group only from Kubernetes 1.36`, 'list the groups separated by |, or target Kubernetes 1.36 or later');
  }
  const entries: GroupResources[] = values.has('resource') ? groups.map((group) => ({ group, resources: get('resource')! })) : shorthands;
  // Resources and namespaces are lower-case in every request; a capital letter never matches.
  const capitalised = [...entries.flatMap((entry) => entry.resources ?? []), ...(selector.namespaces ?? [])].find((value) => /[A-Z]/.test(value));
  if (capitalised !== undefined) return problem('keep-value', `${JSON.stringify(capitalised)} has capital letters; resources and namespaces in requests are lower-case, so it never matches`, `write ${JSON.stringify(capitalised.toLowerCase())}`);
  const names = get('name');
  if (entries.length > 0) selector.resources = names === undefined ? entries : entries.map((entry) => ({ ...entry, resourceNames: names }));
  return { selector, warnings };
}

/** `secrets`, `pods/exec`, `deployments.apps`, `deployments/scale.apps`: resource[/subresource][.group]. */
function parseResourceShorthand(term: string): GroupResources | undefined {
  const dot = term.indexOf('.');
  const resource = dot < 0 ? term : term.slice(0, dot);
  const group = dot < 0 ? '' : term.slice(dot + 1);
  if (resource === '' || (dot >= 0 && group === '')) return undefined;
  return { group, resources: [resource] };
}
