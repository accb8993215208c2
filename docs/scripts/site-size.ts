// The size of the built site: how many pages, how many bytes, and how big the search index is.
// `npm run site` prints it after VitePress has built the site (report-site-size.ts); bench/docs
// prints it beside its timings.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { siteRoot } from './workspace.js';

export interface SiteSize {
  /** HTML pages. */
  pages: number;
  /** Bytes of every file of the site. */
  bytes: number;
  /** Bytes of the local search index chunk(s) the browser loads when search opens. */
  searchIndexBytes: number;
}

export function siteSize(root: string = siteRoot): SiteSize {
  const size: SiteSize = { pages: 0, bytes: 0, searchIndexBytes: 0 };
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      const bytes = statSync(full).size;
      size.bytes += bytes;
      if (entry.name.endsWith('.html')) size.pages += 1;
      if (entry.name.startsWith('@localSearchIndex')) size.searchIndexBytes += bytes;
    }
  };
  walk(root);
  return size;
}

export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** One line for the build output, e.g. `docs: 721 pages, 41.2 MB (search index 0.4 MB)`. */
export function describeSiteSize(size: SiteSize): string {
  return `docs: ${size.pages} pages, ${megabytes(size.bytes)} (search index ${megabytes(size.searchIndexBytes)})`;
}
