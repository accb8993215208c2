/**
 * The apiserver's own formats: the log backend's JSON lines (one `audit.k8s.io` Event per line)
 * and the webhook backend's `EventList` bodies. Lines of this format go to the cost replay as they
 * are, so their byte counts are exact; this reader serves detection, and JSON documents holding
 * events (a list of events, one EventList) read as a whole.
 */
import type { FormatReader } from './format.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isEvent = (value: unknown): boolean =>
  isObject(value) && (value.kind === 'Event' || (value.kind === undefined && typeof value.auditID === 'string' && typeof value.stage === 'string')) && (value.apiVersion === undefined || String(value.apiVersion).startsWith('audit.k8s.io/'));

/** The reader of the apiserver's own format. */
export const KUBERNETES_FORMAT: FormatReader = {
  format: 'kubernetes',
  name: 'kube-apiserver (log backend or webhook EventList)',
  lost: [],
  detect(value) {
    if (isObject(value) && value.kind === 'EventList') return 'an audit EventList';
    if (isEvent(value)) return 'an audit Event';
    return undefined;
  },
  events(value) {
    if (isObject(value) && value.kind === 'EventList') return [{ text: JSON.stringify(value) }];
    if (isEvent(value)) return [{ text: JSON.stringify(value) }];
    return { skip: 'not an audit Event or EventList' };
  },
};
