import { expect, test } from '@playwright/test';
import { isHydrated, visit, watchConsole } from './site';

for (const path of ['/article/1', '/admin/login']) {
  test(`the files ${path} preloads are the ones it uses: one request each`, async ({ page }, testInfo) => {
    test.skip(!isHydrated(testInfo), 'without JavaScript nothing uses the bundle');
    const problems = watchConsole(page, testInfo);
    const requests = new Map<string, number>();
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/assets/')) {
        requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
      }
    });
    await visit(page, path, testInfo);
    await page.waitForLoadState('networkidle');
    expect(requests.size).toBeGreaterThan(0);
    for (const [file, count] of requests) {
      expect(count, file).toBe(1);
    }
    expect(problems).toEqual([]);
  });
}
