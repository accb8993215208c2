/**
 * Amazon EKS: the control plane's audit log goes to CloudWatch Logs (log group
 * `/aws/eks/<cluster>/cluster`, streams `kube-apiserver-audit-*`), one audit Event per log event
 * `message`, written by the apiserver unchanged. The shapes it leaves CloudWatch in, as the AWS
 * documentation gives them:
 * - a subscription payload (Lambda, Firehose, Kinesis), decompressed:
 *   `{ messageType: 'DATA_MESSAGE', owner, logGroup, logStream, subscriptionFilters, logEvents: [{ id, timestamp, message }] }`
 *   (`CONTROL_MESSAGE` payloads carry no events);
 * - `aws logs filter-log-events` / `get-log-events` output: `{ events: [{ logStreamName?, timestamp, message, ingestionTime, eventId? }], ... }`,
 *   or one such event object per line (`jq -c '.events[]'`);
 * - an export to S3 (`create-export-task`): one line per log event, the ISO 8601 time, a space,
 *   and the message.
 * Nothing of the event is lost, but CloudWatch caps the size of one log event, so the largest
 * events can be cut (they then fail to parse and are counted as bad lines).
 */
import type { FormatReader } from './format.js';

const S3_EXPORT_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z (\{.*)$/s;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const logEvent = (value: unknown): value is { message: string } => isObject(value) && typeof value.message === 'string' && ('timestamp' in value || 'ingestionTime' in value || 'id' in value || 'eventId' in value);

/** The EKS reader. */
export const EKS_FORMAT: FormatReader = {
  format: 'eks',
  name: 'Amazon EKS (CloudWatch Logs)',
  lost: [],
  detect(value) {
    if (isObject(value)) {
      if (Array.isArray(value.logEvents) && (typeof value.messageType === 'string' || typeof value.logGroup === 'string')) return 'a CloudWatch Logs subscription payload';
      if (Array.isArray(value.events) && value.events.some(logEvent)) return 'aws logs filter-log-events output';
      if (logEvent(value)) return 'one CloudWatch Logs event per line';
    }
    return undefined;
  },
  detectLine(line) {
    return S3_EXPORT_LINE.test(line) ? 'a CloudWatch Logs export to S3' : undefined;
  },
  fromLine(line) {
    const match = S3_EXPORT_LINE.exec(line);
    return match === null ? undefined : [{ text: match[1]! }];
  },
  events(value) {
    if (!isObject(value)) return { skip: 'not a CloudWatch Logs record (an object)' };
    if (value.messageType === 'CONTROL_MESSAGE') return [];
    const list = Array.isArray(value.logEvents) ? value.logEvents : Array.isArray(value.events) ? value.events : [value];
    const out = [];
    for (const item of list) {
      if (!logEvent(item)) return { skip: 'a CloudWatch Logs event without a message' };
      out.push({ text: item.message });
    }
    return out;
  },
};
