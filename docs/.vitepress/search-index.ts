// What the local search index holds. Pages people wrote (the home page, the guides, the package
// pages made from the READMEs, the API overview) are indexed in full. The per-symbol pages typedoc
// generates are indexed by their title and their member headings only (`omitStages()`): their
// bodies repeat signatures and field descriptions that match nearly every query, and indexing them
// in full made an index of megabytes that took seconds to load before the first result showed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkdownEnv } from 'vitepress';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));

/** A section as VitePress's local search adds it to the index. */
export interface IndexSection {
  anchor?: string;
  titles: string[];
  text: string;
}

/** Whether a page (path relative to the docs folder) is a generated per-symbol API page. */
export function isSymbolPage(relativePath: string): boolean {
  if (!relativePath.startsWith('api/')) return false;
  // api/index.md and api/<package>/index.md (a scoped name has one more segment) are written pages.
  return !/^api\/(?:index|(?:@[^/]+\/)?[^/@]+\/index)\.md$/.test(relativePath);
}

/** The Markdown headings of a page, outside fenced code blocks. */
function headingLines(src: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of src.split('\n')) {
    const marker = /^(```|~~~)/.exec(line)?.[1];
    if (marker !== undefined) fence = fence === undefined ? marker : fence === marker ? undefined : fence;
    else if (fence === undefined && /^#{1,6}\s/.test(line)) lines.push(line);
  }
  return lines;
}

/**
 * The HTML VitePress indexes for a page (its `_render` hook). Symbol pages render their headings
 * alone, every one of them, so the anchors come out as on the page itself (repeated headings get
 * numbered in page order). Other pages render in full, with code blocks highlighted but not run
 * through twoslash, which keeps the popups' type text out of the index and the build faster.
 */
export function searchIndexSource(src: string, env: MarkdownEnv, md: { render(src: string, env?: unknown): string }): string {
  if (isSymbolPage(env.relativePath)) return md.render(headingLines(src).join('\n\n'), env);
  const plain = src.replace(/^(```|<<<).*$/gm, (line) => line.replace(/\s*\btwoslash\b/g, ''));
  const html = md.render(plain, env);
  return env.frontmatter?.search === false ? '' : html;
}

const headingPattern = /<h([1-6])[^>]*>([\s\S]*?)<a[^>]*?href="#([^"]*)"[^>]*>[\s\S]*?<\/a><\/h\1>/g;

function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
}

/**
 * The sections of a rendered page (the `_splitIntoSections` hook): one per heading, with the
 * chain of headings above it as `titles`. On symbol pages only the title (h1) and the members
 * (h3) are kept, without text.
 */
export function searchIndexSections(file: string, html: string): IndexSection[] {
  const relativePath = path.relative(docsRoot, file).split(path.sep).join('/');
  const symbolPage = isSymbolPage(relativePath);
  const headings = [...html.matchAll(headingPattern)];
  const sections: IndexSection[] = [];
  const parents: string[] = [];
  headings.forEach((heading, i) => {
    const level = Number(heading[1]);
    const title = textOf(heading[2]!);
    const next = headings[i + 1]?.index ?? html.length;
    const content = html.slice(heading.index + heading[0].length, next);
    parents.length = level - 1;
    const titles = [...parents.filter((t) => t !== undefined), title];
    parents[level - 1] = title;
    if (title === '') return;
    if (symbolPage) {
      if (level === 1 || level === 3) sections.push({ anchor: heading[3]!, titles, text: '' });
    } else {
      const text = textOf(content);
      if (text !== '' || level === 1) sections.push({ anchor: heading[3]!, titles, text });
    }
  });
  return sections;
}
