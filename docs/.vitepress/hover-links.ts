// `{@link}` in the twoslash hover popups. TypeScript hands twoslash a symbol's documentation as
// parts, and twoslash joins them with line breaks, so `see {@link AuditRuleBuilder}.` arrives as
// "see \n{@link \nAuditRuleBuilder\n}\n." and used to render as three paragraphs. This turns each
// link into a Markdown link to the symbol's API page (api/hover-links.json, written by
// scripts/build-api.ts), or into the name in code when the reference documents no such symbol.
import { existsSync, readFileSync } from 'node:fs';
import type { TwoslashReturn } from 'twoslash';

/** Symbol name (`AuditRuleBuilder`, `App.synth`) → the href of its API page. */
export type HoverLinkTargets = Readonly<Record<string, string>>;

/** The targets written by scripts/build-api.ts; none before the API reference exists. */
export function readHoverLinkTargets(file: string): HoverLinkTargets {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HoverLinkTargets) : {};
}

function markdownLink(name: string, text: string, targets: HoverLinkTargets): string {
  const label = text === '' ? `\`${name}\`` : text.replace(/([[\]\\])/g, '\\$1');
  // A member without a page of its own (an interface property) is shown on its owner's page.
  const href = targets[name] ?? (name.includes('.') ? targets[name.slice(0, name.lastIndexOf('.'))] : undefined);
  return href === undefined ? label : `[${label}](${href})`;
}

/**
 * Replaces every `{@link Name}`, `{@link Name text}`, `{@link Name | text}` (and `@linkcode`,
 * `@linkplain`) in `text` with a Markdown link. `joinedParts` says the text is TypeScript's
 * documentation parts joined by twoslash with `\n`: the line breaks it put around each link are
 * dropped, while the documentation's own line breaks stay.
 */
export function renderHoverLinks(text: string, targets: HoverLinkTargets, joinedParts: boolean): string {
  const pattern = joinedParts
    ? /\n?\{@link(?:code|plain)?\s+([^\s}|]+)\s*(?:\|\s*)?([^}]*?)\s*\}\n?/g
    : /\{@link(?:code|plain)?\s+([^\s}|]+)\s*(?:\|\s*)?([^}]*?)\s*\}/g;
  return text.replace(pattern, (_whole, name: string, label: string) => markdownLink(name, label.trim(), targets));
}

/** Rewrites the links in the docs and tags of every hover and query of a twoslash result. */
export function linkHoverDocs(result: TwoslashReturn, targets: HoverLinkTargets): TwoslashReturn {
  for (const node of result.nodes) {
    if (node.type !== 'hover' && node.type !== 'query') continue;
    if (node.docs !== undefined) node.docs = renderHoverLinks(node.docs, targets, true);
    if (node.tags !== undefined) {
      node.tags = node.tags.map(([name, value]) => [name, value === undefined ? value : renderHoverLinks(value, targets, false)]);
    }
  }
  return result;
}
