// The policy playground (docs/playground.md) in headless Chromium, on the site the other browser
// tests read (built once by `npm run docs`): a typo gets its fix, a request shows its deciding
// rule and level, hostile input (an alias bomb, a 5 MB paste) gives a clear problem while the page
// keeps answering, a run past the time limit is stopped with a notice, and the analysis code (the
// worker) is downloaded by its own page only.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsRoot } from '../scripts/workspace.js';
import { launchChromium, openRecordedPage, type LaunchedBrowser } from './browser.js';
import { requireBuiltSite } from './site-files.js';
import { aliasBomb, fixturePolicy } from './playground-fixtures.js';
import { serveStatic, type RunningServer } from './static-server.js';

const artifacts = path.join(docsRoot, 'test', 'artifacts');

const validPolicy = fixturePolicy;

describe('policy playground in Chromium', () => {
  const root = requireBuiltSite();
  let server: RunningServer;
  let launched: LaunchedBrowser;
  let context: BrowserContext;
  const consoleErrors: string[] = [];

  async function openPage(urlPath: string, requested: string[] = []): Promise<Page> {
    const { page, status } = await openRecordedPage(context, `${server.url}${urlPath}`, consoleErrors, (opening) =>
      opening.on('request', (request) => requested.push(new URL(request.url()).pathname)),
    );
    expect(status, urlPath).toBe(200);
    return page;
  }

  /** Waits until the analysis of the form as it is now has answered. */
  async function settled(page: Page): Promise<void> {
    await page.locator('.playground[data-busy="false"]').waitFor();
  }

  async function setPolicy(page: Page, text: string): Promise<void> {
    await page.locator('#playground-policy').fill(text);
    await settled(page);
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await serveStatic(root);
    launched = await launchChromium();
    context = launched.context;
  });

  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  it('is reached from the nav, and only its page downloads the analysis code', async () => {
    const homeRequests: string[] = [];
    const page = await openPage('/', homeRequests);
    // VitePress may prefetch the page's own small chunk (the form) for the nav link; the engine
    // lives in the worker, which only the playground starts.
    expect(homeRequests.filter((file) => /playground\.worker/.test(file))).toEqual([]);
    const pageRequests: string[] = [];
    page.on('request', (request) => pageRequests.push(new URL(request.url()).pathname));
    await page.locator('.VPNavBar').getByRole('link', { name: 'Playground', exact: true }).click();
    await page.waitForURL(/\/playground(\.html)?$/);
    await page.locator('.vp-doc h1', { hasText: 'Policy playground' }).waitFor();
    await settled(page);
    expect(pageRequests.some((file) => /playground\.worker.*\.js$/.test(file)), pageRequests.join('\n')).toBe(true);
    // The starting policy and request are explained at once.
    expect(await page.locator('.deciding-level').innerText()).toBe('Metadata');
    await page.close();
  });

  it('shows the fix of a typo in a key and in a level', async () => {
    const page = await openPage('/playground.html');
    await settled(page);
    await setPolicy(page, validPolicy.replace('- level: Metadata', '- levle: Metadata').replace('level: Request\n', 'level: Metdata\n'));
    const problems = page.locator('.playground-problems li');
    const typo = problems.filter({ hasText: 'rules[0].levle' });
    await expect(typo.innerText()).resolves.toMatch(/unknown-field[\s\S]*line 6:5[\s\S]*Did you mean `level`\?/);
    await expect(problems.filter({ hasText: 'rules[1].level' }).first().innerText()).resolves.toContain('Did you mean "Metadata"?');
    expect(await page.locator('.playground-lint h2').innerText()).toContain('waits for a valid policy');
    await page.screenshot({ path: path.join(artifacts, 'playground-typo.png'), fullPage: true });
    await page.close();
  });

  it('shows the rule that decides a request, its level and its stages', async () => {
    const page = await openPage('/playground.html');
    await settled(page);
    await setPolicy(page, validPolicy);
    await page.locator('#playground-verb').fill('patch');
    await page.locator('#playground-group').fill('apps');
    await page.locator('#playground-resource').fill('deployments');
    await page.locator('#playground-name').fill('web');
    await page.locator('#playground-stage').selectOption('RequestReceived');
    await settled(page);
    expect(await page.locator('.deciding-rule').innerText()).toBe('rules[2], line 12 "changes to deployments"');
    expect(await page.locator('.deciding-level').innerText()).toBe('RequestResponse');
    expect(await page.locator('.explain-facts').innerText()).toMatch(/Stages emitted: ResponseComplete[\s\S]*Omitted stages: RequestReceived[\s\S]*RequestReceived: not logged: RequestReceived is in omitStages/);
    expect(await page.locator('.tried-rules > li').first().innerText()).toMatch(/rules\[0\][\s\S]*does not match[\s\S]*resources\[0\] is for group ""/);
    await page.screenshot({ path: path.join(artifacts, 'playground-explain.png'), fullPage: true });
    await page.close();
  });

  it('answers an alias bomb and a 5 MB paste with a problem, and keeps working', async () => {
    const page = await openPage('/playground.html');
    await settled(page);
    await setPolicy(page, aliasBomb());
    expect(await page.locator('.playground-problems li').allInnerTexts()).toEqual([expect.stringMatching(/yaml-alias-expansion[\s\S]*alias bomb/)]);

    // A paste: one input event with the whole text, made in the page rather than sent over the wire.
    const before = await page.locator('#playground-policy').inputValue();
    await page.evaluate(() => {
      const field = document.querySelector<HTMLTextAreaElement>('#playground-policy')!;
      field.value = `# pasted\n${'rules: []\n'.repeat(512 * 1024)}`;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    });
    // Refused in the same event: the field keeps the text that fitted, the problem says why.
    expect(await page.locator('.playground-refused li').innerText()).toMatch(/input-too-large[\s\S]*at least 5,242,889 bytes, over the readers' limit of 4,194,304 bytes/);
    expect(await page.locator('#playground-policy').inputValue()).toBe(before);
    await settled(page);
    expect(await page.locator('.playground-problems li').allInnerTexts()).toEqual([expect.stringMatching(/yaml-alias-expansion/)]);
    // The page still answers input and paints frames.
    await page.locator('#playground-verb').fill('list');
    expect(await page.locator('#playground-verb').inputValue()).toBe('list');
    await settled(page);
    await expect(page.evaluate(() => new Promise<boolean>((resolve) => requestAnimationFrame(() => resolve(true))))).resolves.toBe(true);

    await setPolicy(page, validPolicy);
    expect(await page.locator('.playground-refused').count()).toBe(0);
    await page.locator('#playground-verb').fill('get');
    await settled(page);
    expect(await page.locator('.deciding-rule').innerText()).toMatch(/^rules\[0\], line 6/);
    expect(await page.locator('.deciding-level').innerText()).toBe('Metadata');
    await page.close();
  });

  it('stops an analysis that outlives its time limit, says so, and analyses the next edit', async () => {
    // The worker's script is replaced on the wire by one that never answers the starting form
    // (verb get) and hands any other form to the real worker's code. Chromium may reuse the
    // replaced script for the worker started after the stop, so the switch is in the script.
    const page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    await page.route(/playground\.worker[^/]*\.js$/, async (route) => {
      const real = JSON.stringify(`${new URL(route.request().url()).pathname}?real`);
      await route.fulfill({
        status: 200,
        contentType: 'text/javascript',
        body: [
          'let loaded;',
          'let forwarding = false;',
          'self.onmessage = (event) => {',
          "  if (forwarding || event.data.input.request.verb === 'get') return;",
          `  (loaded ??= import(${real})).then(() => {`,
          '    forwarding = true;',
          "    self.dispatchEvent(new MessageEvent('message', { data: event.data }));",
          '    forwarding = false;',
          '  });',
          '};',
        ].join('\n'),
      });
    });
    const response = await page.goto(`${server.url}/playground.html`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    const loaded = Date.now();
    await page.locator('.playground-stopped').waitFor({ timeout: 20_000 });
    // Not before the limit (10 s from the run's start, which came after the page loaded).
    expect(Date.now() - loaded).toBeGreaterThan(5_000);
    expect(await page.locator('.playground-stopped').innerText()).toMatch(/analysis-stopped[\s\S]*took longer than 10 s and was stopped[\s\S]*k8s-gen lint/);
    expect(await page.locator('.playground-status').innerText()).toBe('Stopped.');
    await page.locator('#playground-verb').fill('list');
    // The stop's notice goes when the new worker answers.
    await page.locator('.playground-stopped').waitFor({ state: 'detached', timeout: 9_000 });
    await settled(page);
    expect(await page.locator('.playground-status').innerText()).toBe('Up to date.');
    expect(await page.locator('.deciding-level').innerText()).toMatch(/^(None|Metadata|Request|RequestResponse)$/);
    await page.close();
  }, 40_000);

  it('logged no console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
