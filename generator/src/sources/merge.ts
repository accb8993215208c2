/**
 * Merges models read from several releases of the same API into one model whose types and fields
 * record the Kubernetes releases that have them (`since` / `until`).
 *
 * The newest release wins for everything else (types, descriptions, required), because that is
 * what users of a current cluster see; older releases only add what the newest one dropped.
 */
import { groupVersionKey } from '../model/naming.js';
import { type ApiModel, type FieldModel, type GroupVersionModel, type TypeModel, type VersionRange } from '../model/model.js';
import { compareStrings } from '@k8s-gen/runtime';

/** A model together with the release it was read from. */
export interface VersionedModel {
  kubernetesVersion: string;
  model: ApiModel;
}

/** Orders releases numerically (`1.9` before `1.18`). */
export function compareKubeVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The range covering the given releases, leaving open the ends that match the oldest/newest known release. */
function rangeOf(present: string[], all: string[]): VersionRange | undefined {
  const range: VersionRange = {};
  const first = present[0]!;
  const last = present[present.length - 1]!;
  if (first !== all[0]) range.since = first;
  if (last !== all[all.length - 1]) range.until = last;
  return range.since === undefined && range.until === undefined ? undefined : range;
}

/** Merges models of several releases; see the module comment for the rules. */
export function mergeVersionedModels(inputs: VersionedModel[]): ApiModel {
  const sorted = [...inputs].sort((a, b) => compareKubeVersions(a.kubernetesVersion, b.kubernetesVersion));
  const all = sorted.map((i) => i.kubernetesVersion);
  // key -> releases that have it, and the newest definition
  const typePresence = new Map<string, string[]>();
  const fieldPresence = new Map<string, string[]>();
  const newestType = new Map<string, { gv: GroupVersionModel; type: TypeModel }>();
  for (const { kubernetesVersion, model } of sorted) {
    for (const gv of model.groupVersions) {
      for (const type of gv.types) {
        const typeKey = `${groupVersionKey(gv)}/${type.name}`;
        push(typePresence, typeKey, kubernetesVersion);
        const previous = newestType.get(typeKey);
        newestType.set(typeKey, { gv, type: previous === undefined ? type : mergeFields(previous.type, type) });
        if (type.kind === 'struct') for (const f of type.fields) push(fieldPresence, `${typeKey}#${f.wireName}`, kubernetesVersion);
      }
    }
  }
  const groupVersions = new Map<string, GroupVersionModel>();
  for (const [typeKey, { gv, type }] of newestType) {
    const versions = rangeOf(typePresence.get(typeKey)!, all);
    const merged: TypeModel = { ...type };
    if (versions !== undefined) merged.versions = versions;
    if (merged.kind === 'struct') {
      merged.fields = merged.fields.map((f) => {
        const fieldVersions = rangeOf(fieldPresence.get(`${typeKey}#${f.wireName}`)!, all);
        return fieldVersions === undefined ? f : { ...f, versions: fieldVersions };
      });
    }
    const key = groupVersionKey(gv);
    const target = groupVersions.get(key) ?? { group: gv.group, version: gv.version, types: [] };
    target.types.push(merged);
    groupVersions.set(key, target);
  }
  return {
    sources: sorted.map((i) => i.model.sources.join(', ')),
    groupVersions: [...groupVersions.values()],
    primary: [...new Set(sorted.flatMap((i) => i.model.primary))].sort(compareStrings),
  };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The newer type, plus the fields only the older one has (placed after the newer ones). */
function mergeFields(older: TypeModel, newer: TypeModel): TypeModel {
  if (older.kind !== 'struct' || newer.kind !== 'struct') return newer;
  const known = new Set(newer.fields.map((f) => f.wireName));
  const dropped: FieldModel[] = older.fields.filter((f) => !known.has(f.wireName)).map((f) => ({ ...f, required: false }));
  return { ...newer, fields: [...newer.fields, ...dropped] };
}
