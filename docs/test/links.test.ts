// Crawls every page of the built site from the files and checks each internal link: the target
// file exists and, for `#fragment` links, the target page has that id.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHoverLinkTargets } from '../.vitepress/hover-links.js';
import { apiRoot, documentedPackages, repoRoot, siteUrl } from '../scripts/workspace.js';
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

  const idCache = new Map<string, Set<string>>();
  /** Why a link from `page` (or from outside the site, for absolute links) leads nowhere, if it does. */
  function brokenLink(page: string, link: string): string | undefined {
    const [target = '', fragment] = link.split('#');
    const urlPath = target === '' ? `/${page}` : target.startsWith('/') ? target : `/${path.posix.join(path.posix.dirname(page), target)}`;
    const file = fileForUrlPath(root, urlPath);
    if (file === undefined) return `${link} (no file)`;
    if (fragment !== undefined && fragment !== '' && file.endsWith('.html')) {
      const relative = path.relative(root, file);
      if (!idCache.has(relative)) idCache.set(relative, idsOf(readPage(root, relative)));
      if (!idCache.get(relative)!.has(decodeURIComponent(fragment))) return `${link} (no id "${fragment}")`;
    }
    return undefined;
  }

  it('has no broken internal link or fragment on any page', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of internalLinks(readPage(root, page))) {
        const why = brokenLink(page, link);
        if (why !== undefined) broken.push(`${page}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('links every {@link} target of the hover popups to a page and heading that exist', () => {
    const targets = Object.entries(readHoverLinkTargets(path.join(apiRoot, 'hover-links.json')));
    expect(targets.length).toBeGreaterThan(100);
    expect(targets.flatMap(([, href]) => brokenLink('index.html', href) ?? []).map((why) => `hover link ${why}`)).toEqual([]);
  });

  it('points every link to the docs site in the package READMEs at a page of this site', () => {
    const broken: string[] = [];
    for (const pkg of documentedPackages()) {
      const readme = readFileSync(path.join(repoRoot, pkg.folder, 'README.md'), 'utf8');
      for (const match of readme.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)) {
        if (!match[1]!.startsWith(siteUrl)) continue;
        const why = brokenLink('index.html', `/${match[1]!.slice(siteUrl.length)}`);
        if (why !== undefined) broken.push(`${pkg.folder}/README.md: ${why}`);
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
