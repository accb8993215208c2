// Crawls every page of the built site from the files and checks each internal link: the target
// file exists and, for `#fragment` links, the target page has that id.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileForUrlPath } from './static-server.js';
import { htmlPages, idsOf, internalLinks, readPage, requireBuiltSite } from './site-files.js';

describe('built site links', () => {
  const root = requireBuiltSite();
  const pages = htmlPages(root);

  it('has every guide and the API reference', () => {
    expect(pages).toContain('index.html');
    expect(pages).toContain('guide/getting-started.html');
    expect(pages).toContain('guide/cli.html');
    expect(pages).toContain('api/index.html');
    expect(pages.filter((page) => page.startsWith('api/@k8s-gen/audit/')).length).toBeGreaterThan(5);
  });

  it('has no broken internal link or fragment on any page', () => {
    const broken: string[] = [];
    const idCache = new Map<string, Set<string>>();
    for (const page of pages) {
      const html = readPage(root, page);
      for (const link of internalLinks(html)) {
        const [target = '', fragment] = link.split('#');
        const urlPath = target === '' ? `/${page}` : target.startsWith('/') ? target : `/${path.posix.join(path.posix.dirname(page), target)}`;
        const file = fileForUrlPath(root, urlPath);
        if (file === undefined) {
          broken.push(`${page}: ${link} (no file)`);
          continue;
        }
        if (fragment !== undefined && fragment !== '' && file.endsWith('.html')) {
          const relative = path.relative(root, file);
          if (!idCache.has(relative)) idCache.set(relative, idsOf(readPage(root, relative)));
          if (!idCache.get(relative)!.has(decodeURIComponent(fragment))) broken.push(`${page}: ${link} (no id "${fragment}")`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('includes every example snippet (no "snippet not found" placeholders)', () => {
    const missing = pages.filter((page) => readPage(root, page).includes('Code snippet path not found'));
    expect(missing).toEqual([]);
  });

  it('links each API page used by a guide back to that guide, and each guide to its API', () => {
    const policyPage = readPage(root, 'api/@k8s-gen/audit/functions/policy.html');
    expect(policyPage).toMatch(/href="\/guide\/getting-started(\.html)?"/);
    const guide = readPage(root, 'guide/getting-started.html');
    expect(guide).toMatch(/href="\/api\/@k8s-gen\/audit\/functions\/policy\.html"/);
  });
});
