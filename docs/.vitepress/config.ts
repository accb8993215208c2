// VitePress configuration of the k8s-gen docs site.
// The API reference under api/ is written by typedoc (scripts/build-api.ts) before VitePress runs;
// its sidebar comes from the JSON file typedoc-vitepress-theme writes next to it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformerTwoslash } from '@shikijs/vitepress-twoslash';
import type { TwoslashExecuteOptions } from 'twoslash';
import { createTwoslasher } from 'twoslash-vue';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { linkHoverDocs, readHoverLinkTargets } from './hover-links.js';
import { documentedPackages, repoRoot } from '../scripts/workspace.js';
import { searchIndexSections, searchIndexSource } from './search-index.js';
import { cachedTwoslasher, sourcesFingerprint } from './twoslash-cache.js';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const apiSidebarFile = `${docsRoot}api/typedoc-sidebar.json`;

// Type-check snippets against the workspace sources, the same way the repository's own tests
// resolve packages, so hovers show the types of the code in this checkout.
const twoslashOptions = {
  compilerOptions: {
    module: 99, // ESNext
    moduleResolution: 100, // Bundler
    target: 9, // ES2022
    strict: true,
    customConditions: ['@k8s-gen/source'],
    types: ['node'],
  },
};
const twoslash = cachedTwoslasher(
  createTwoslasher(twoslashOptions),
  `${docsRoot}.vitepress/cache/twoslash`,
  sourcesFingerprint(repoRoot, documentedPackages().flatMap((p) => [`${p.folder}/package.json`, `${p.folder}/src`]), twoslashOptions),
);
const hoverLinkTargets = readHoverLinkTargets(`${docsRoot}api/hover-links.json`);

// @k8s-gen/core exists only when it was generated from a Kubernetes spec (its build says so in one
// line otherwise). Without it, the snippets that import it are shown without type information
// instead of failing the build; every other snippet's type error still fails it.
const coreGenerated = existsSync(`${repoRoot}/packages/core/src/generated/index.ts`);
function onTwoslashError(error: unknown, code: string): void {
  if (!coreGenerated && /from ['"]@k8s-gen\/core[/'"]/.test(code)) return;
  throw error;
}

/** An API sidebar group (a category such as "Classes", or a namespace) as one link to where it is listed. */
function foldedGroup(group: DefaultTheme.SidebarItem, listedOn: string): DefaultTheme.SidebarItem {
  return { text: group.text, link: group.link ?? `${listedOn}#${(group.text ?? '').toLowerCase().replace(/\s+/g, '-')}` };
}

/** The folder of the pages a category links to, e.g. `/api/@k8s-gen/audit/classes/`. */
function folderOf(group: DefaultTheme.SidebarItem): string | undefined {
  const link = group.items?.find((item) => item.link !== undefined && item.items === undefined)?.link;
  return link === undefined ? undefined : link.slice(0, link.lastIndexOf('/') + 1);
}

/**
 * The sidebars of one package or namespace `node` (typedoc-vitepress-theme's tree): on its own
 * page every category is folded into one link; on a symbol's page only that symbol's category
 * lists its entries. VitePress writes the sidebar into every page, so one sidebar with every
 * symbol of a package made most of each page's bytes.
 */
function apiNodeSidebars(node: DefaultTheme.SidebarItem, wrap: (node: DefaultTheme.SidebarItem) => DefaultTheme.SidebarItem[], into: DefaultTheme.SidebarMulti): void {
  const link = node.link!;
  const groups = node.items ?? [];
  const folded = groups.map((group) => foldedGroup(group, link));
  into[link] = wrap({ text: node.text, link, items: folded });
  groups.forEach((group, index) => {
    const withOpen = (open: DefaultTheme.SidebarItem): DefaultTheme.SidebarItem => ({
      text: node.text,
      link,
      items: folded.map((other, i) => (i === index ? open : other)),
    });
    const folder = folderOf(group);
    if (folder !== undefined) into[folder] = wrap(withOpen({ ...group, collapsed: false }));
    // Namespaces: each one is a node of its own, shown open inside its package.
    for (const child of group.items ?? []) {
      if (child.link === undefined || child.items === undefined) continue;
      const others = (group.items ?? []).map((item) => ({ text: item.text, link: item.link }));
      apiNodeSidebars(child, (open) => wrap(withOpen({ text: group.text, collapsed: false, items: others.map((item) => (item.link === child.link ? open : item)) })), into);
    }
  });
}

/** Sidebars for the API reference: the overview lists the packages, each package its own symbols. */
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
    if (pkg.link === undefined) continue;
    apiNodeSidebars(pkg, (open) => [{ text: 'API reference', link: '/api/' }, { ...open, collapsed: false }], sidebars);
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
  { text: 'Fluent Bit', link: '/guide/fluent-bit' },
  { text: 'Vector', link: '/guide/vector' },
  { text: 'OpenTelemetry Collector', link: '/guide/opentelemetry' },
  { text: 'Managed clusters: filter downstream', link: '/guide/managed-clusters' },
  { text: 'Legacy dynamic backend (AuditSink)', link: '/guide/dynamic-backend' },
  { text: 'Aggregated API servers', link: '/guide/aggregated-apiservers' },
  { text: 'Explain, lint and cost', link: '/guide/analysis' },
  { text: 'Suggest a policy from a log', link: '/guide/suggest' },
  { text: 'Compliance checks', link: '/guide/compliance' },
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
  // The page-hash map of the ~700 pages would otherwise be inlined into every HTML file.
  metaChunk: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/logo.svg' }]],
  vite: {
    plugins: [
      {
        // The server bundle only renders the pages to HTML during the build and is then deleted:
        // tree-shaking its hundreds of page modules costs build time and saves nothing.
        name: 'k8s-gen-docs:server-bundle-without-tree-shaking',
        config: (_config, env) => (env.isSsrBuild === true ? { build: { rollupOptions: { treeshake: false } } } : undefined),
      },
    ],
  },
  markdown: {
    codeTransformers: [
      transformerTwoslash({
        twoslashOptions,
        onTwoslashError,
        // The plugin's own twoslasher, cached across builds, with `{@link}` in the popups as links.
        twoslasher: (code: string, extension?: string, options?: TwoslashExecuteOptions) =>
          linkHoverDocs(twoslash(code, extension, options), hoverLinkTargets),
      }),
    ],
  },
  themeConfig: {
    logo: '/logo.svg',
    nav: [
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '^/guide/' },
      { text: 'Playground', link: '/playground', activeMatch: '^/playground' },
      { text: 'API', link: '/api/', activeMatch: '^/api/' },
    ],
    sidebar: {
      '/guide/': [{ text: 'Guides', items: guides }],
      ...apiSidebars(),
    },
    search: {
      provider: 'local',
      options: {
        // What goes into the index (search-index.ts): guides in full, API pages by their titles
        // and member headings. Both run at build time only.
        _render: (src, env, md) => searchIndexSource(src, env, md),
        miniSearch: {
          _splitIntoSections: (file, html) => searchIndexSections(file, html),
          // Runs in the browser (VitePress ships it as source text, so it must be self-contained):
          // a guide section outranks an API member with the same words.
          searchOptions: { boostDocument: (id: string) => (id.startsWith('/guide/') ? 6 : 1) },
        },
      },
    },
    outline: { level: [2, 3] },
    footer: { message: 'k8s-gen documentation. Released under the Apache-2.0 licence.' },
  },
});
