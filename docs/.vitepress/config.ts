// VitePress configuration of the k8s-gen docs site.
// The API reference under api/ is written by typedoc (scripts/build-api.ts) before VitePress runs;
// its sidebar comes from the JSON file typedoc-vitepress-theme writes next to it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformerTwoslash } from '@shikijs/vitepress-twoslash';
import { defineConfig, type DefaultTheme } from 'vitepress';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const apiSidebarFile = `${docsRoot}api/typedoc-sidebar.json`;

/** Packages with more symbols than this get a sidebar with the package page only (core/v1 has ~1000). */
const maxSidebarSymbols = 250;

function countLinks(items: DefaultTheme.SidebarItem[] = []): number {
  return items.reduce((sum, item) => sum + (item.link ? 1 : 0) + countLinks(item.items), 0);
}

/**
 * Sidebars for the API reference, one per package: a page shows its own package's symbols only.
 * One sidebar for every page would repeat all ~1600 entries in each of ~1600 HTML files.
 */
function apiSidebars(): DefaultTheme.SidebarMulti {
  if (!existsSync(apiSidebarFile)) return {};
  const packages = JSON.parse(readFileSync(apiSidebarFile, 'utf8')) as DefaultTheme.SidebarItem[];
  const overview: DefaultTheme.SidebarItem = {
    text: 'API reference',
    link: '/api/',
    items: packages.map((pkg) => ({ text: pkg.text, link: pkg.link })),
  };
  const sidebars: DefaultTheme.SidebarMulti = { '/api/': [overview] };
  for (const pkg of packages) {
    if (!pkg.link) continue;
    const own = countLinks(pkg.items) <= maxSidebarSymbols ? { ...pkg, collapsed: false } : { text: pkg.text, link: pkg.link };
    sidebars[pkg.link] = [{ text: 'API reference', link: '/api/' }, own];
  }
  return sidebars;
}

/** Guides in reading order; the same list feeds the sidebar and the home page. */
export const guides: DefaultTheme.SidebarItem[] = [
  { text: 'Getting started', link: '/guide/getting-started' },
  { text: 'Audit policy concepts', link: '/guide/concepts' },
  { text: 'Policy cookbook', link: '/guide/cookbook' },
  { text: 'Log and webhook backends', link: '/guide/backends' },
  { text: 'Batch tuning', link: '/guide/batch-tuning' },
  { text: 'Fluentd and Logstash pipelines', link: '/guide/collectors' },
  { text: 'Legacy dynamic backend (AuditSink)', link: '/guide/dynamic-backend' },
  { text: 'Aggregated API servers', link: '/guide/aggregated-apiservers' },
  { text: 'Explain, lint and cost', link: '/guide/analysis' },
  { text: 'core/v1 builders for your version', link: '/guide/core-builders' },
  { text: 'CLI reference', link: '/guide/cli' },
];

export default defineConfig({
  title: 'k8s-gen',
  description: 'Typed SDK and code generator for Kubernetes API-server auditing',
  lang: 'en-US',
  srcExclude: ['README.md', 'api/_partials/**', 'test/**', 'examples/**', 'scripts/**', 'node_modules/**'],
  // VitePress fails the build on a dead link between pages; the browser tests check the rest.
  ignoreDeadLinks: false,
  lastUpdated: false,
  // The page-hash map of ~1600 pages would otherwise be inlined into every HTML file.
  metaChunk: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/logo.svg' }]],
  markdown: {
    codeTransformers: [
      transformerTwoslash({
        // Type-check snippets against the workspace sources, the same way the repository's own
        // tests resolve packages, so hovers show the types of the code in this checkout.
        twoslashOptions: {
          compilerOptions: {
            module: 99, // ESNext
            moduleResolution: 100, // Bundler
            target: 9, // ES2022
            strict: true,
            customConditions: ['@k8s-gen/source'],
            types: ['node'],
          },
        },
      }),
    ],
  },
  themeConfig: {
    logo: '/logo.svg',
    nav: [
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '^/guide/' },
      { text: 'API', link: '/api/', activeMatch: '^/api/' },
    ],
    sidebar: {
      '/guide/': [{ text: 'Guides', items: guides }],
      ...apiSidebars(),
    },
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    footer: { message: 'k8s-gen documentation. Released under the Apache-2.0 licence.' },
  },
});
