// Reading the built site from disk: its pages and the internal links they contain.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { siteRoot } from '../scripts/workspace.js';

/** Fails with the command to run when the site has not been built. */
export function requireBuiltSite(): string {
  if (!existsSync(path.join(siteRoot, 'index.html'))) {
    throw new Error(`the docs site is not built (no ${siteRoot}/index.html): run \`npm run docs\` from the repository root first`);
  }
  return siteRoot;
}

/** Every HTML file of the built site, relative to its root, sorted. */
export function htmlPages(root: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** `href` and `src` values of a page that point inside the site (no scheme, no protocol-relative). */
export function internalLinks(html: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const value = match[1]!.replace(/&amp;/g, '&');
    if (value === '' || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) continue;
    links.push(value);
  }
  return links;
}

/** `id` attributes of a page, for checking `#fragment` links. */
export function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => decodeURIComponent(match[1]!)));
}

export function readPage(root: string, page: string): string {
  return readFileSync(path.join(root, page), 'utf8');
}
