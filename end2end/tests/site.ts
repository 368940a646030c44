import { expect, type Page, type TestInfo } from '@playwright/test';

export const MODEL_TITLE = '广州深圳“双城联动”论坛在深举行';

export function isHydrated(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Opens a page; when JavaScript runs, waits until the app has hydrated. */
export async function visit(page: Page, path: string, testInfo: TestInfo) {
  const response = await page.goto(path);
  if (isHydrated(testInfo)) {
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
  }
  return response;
}

/**
 * Marks the current document, so that a later check can tell whether navigation replaced it
 * (a full page load) or kept it (client-side navigation).
 */
export async function markDocument(page: Page) {
  await page.evaluate(() => ((window as any).__sameDocument = true));
}

export async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as any).__sameDocument === true)).toBe(true);
}

/** The number after 浏览量: on an article page. */
export async function viewCount(page: Page): Promise<number> {
  const text = await page.getByText(/浏览量:\d+/).textContent();
  return Number(text?.match(/浏览量:(\d+)/)?.[1]);
}

/**
 * Collects console errors and warnings, hydration messages included. Chromium warns when a
 * preloaded file is not used within a few seconds of the load event. Without JavaScript the
 * preloaded wasm is never used, so the warning is expected there. With the debug build, whose
 * wasm is many megabytes, a busy machine can take longer than that to compile it before the
 * lazy routes' chunks are used; the warning counts as a problem only against a release build
 * (`GAZETTE_E2E_RELEASE=1`, set by `scripts/package --test`).
 */
export function watchConsole(page: Page, testInfo: TestInfo): string[] {
  const problems: string[] = [];
  const unusedPreloadIsExpected = !isHydrated(testInfo) || process.env.GAZETTE_E2E_RELEASE !== '1';
  page.on('console', (message) => {
    if (unusedPreloadIsExpected && /was preloaded using link preload but not used/.test(message.text())) {
      return;
    }
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}
