// Timing what a reader waits for, measured inside the page with the browser's own clock: from the
// keystroke that completes a search query to the first results on screen, and from the start of
// a navigation to the home page loaded. The browser test reports the first; the docs
// benchmark (bench/docs) divides one by the other.
import type { Page } from 'playwright-core';

export interface SearchTiming {
  /** Milliseconds from the input event of the query to the frame that shows the first results. */
  milliseconds: number;
  /** The result links in the order shown. */
  hrefs: string[];
}

/**
 * Opens the local search on a loaded page, types `query` as one input event (as a paste or the
 * last keystroke does) and times the first results. Opening the box is what starts loading the
 * index, so the time includes loading it, as it does for a reader who opens search and types.
 */
export async function timeSearch(page: Page, query: string): Promise<SearchTiming> {
  await page.locator('.VPNavBarSearch button').click();
  const input = page.locator('.VPLocalSearchBox input');
  await input.waitFor();
  // Armed before typing: records the input event's time and the first frame with a result link.
  const shown = page.evaluate(
    () =>
      new Promise<{ typedAt: number; shownAt: number }>((resolve) => {
        const field = document.querySelector<HTMLInputElement>('.VPLocalSearchBox input')!;
        let typedAt = Number.NaN;
        field.addEventListener('input', (event) => (typedAt = event.timeStamp), { once: true });
        // No named functions in here: tsx would wrap them in a helper the page does not have.
        const observer = new MutationObserver(() => {
          if (Number.isNaN(typedAt) || document.querySelector('.VPLocalSearchBox .results a') === null) return;
          observer.disconnect();
          requestAnimationFrame((frameAt) => resolve({ typedAt, shownAt: frameAt }));
        });
        observer.observe(document.body, { childList: true, subtree: true });
      }),
  );
  await input.fill(query);
  const { typedAt, shownAt } = await shown;
  const hrefs = await page.locator('.VPLocalSearchBox .results a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  return { milliseconds: shownAt - typedAt, hrefs };
}

/**
 * Navigates a page to `url` (the home page) and returns the milliseconds from the start of the
 * navigation to the end of its load event: the page rendered and its scripts run.
 */
export async function timeHomePage(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('.VPHero .name').waitFor();
  return page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
}
