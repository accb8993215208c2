// Starts Debian's Chromium through playwright-core with the flags a machine without network needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser (see scripts/ci-deps.sh). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  /** The browser's only context, bound to the fresh profile folder. */
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh profile. The background-service flags stop Chromium
 * from reaching for the network (updates, sync, QUIC probes), which fails on a closed machine.
 * playwright-core passes the profile as `--user-data-dir` itself (it refuses the flag in `args`).
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'k8s-gen-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` in a new page of `context` that records its console errors, uncaught exceptions and
 * failed requests in `errors`, each with the page's URL. `beforeLoad` runs before the navigation
 * (to listen for requests, say). Returns the page and the HTTP status of the navigation.
 */
export async function openRecordedPage(
  context: BrowserContext,
  url: string,
  errors: string[],
  beforeLoad?: (page: Page) => void,
): Promise<{ page: Page; status: number | undefined }> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`${page.url()}: request failed ${request.url()}`));
  beforeLoad?.(page);
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  return { page, status: response?.status() };
}
