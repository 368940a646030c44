import { expect, test } from '@playwright/test';
import { MODEL_TITLE, isHydrated, visit } from './site';
import { watchNetwork } from './network';

test('a first visit downloads the code once; a returning visitor asks for none of it', async ({ context, page }, testInfo) => {
  test.skip(!isHydrated(testInfo), 'without JavaScript no code is loaded');
  const network = await watchNetwork(page);
  await visit(page, '/', testInfo);
  await page.getByRole('link', { name: MODEL_TITLE }).first().click();
  await expect(page.getByText(/浏览量:\d+/)).toBeVisible();
  await page.getByRole('navigation', { name: '栏目导航' }).getByRole('link', { name: '行业动态', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '行业动态' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  const first = network.code();
  expect(first.length).toBeGreaterThan(0);
  const files = new Map<string, number>();
  for (const { url } of first) {
    files.set(url, (files.get(url) ?? 0) + 1);
  }
  for (const [url, count] of files) {
    expect(count, url).toBe(1);
  }
  const bytes = first.reduce((sum, file) => sum + file.bytes, 0);
  // bench/run reads this line.
  console.log(`first visit home → article → category: ${bytes} bytes of wasm + js over the wire (${first.length} files)`);
  expect(bytes, 'wasm + js of a first visit').toBeLessThanOrEqual(200_000);

  // The next day: a new tab, the same browser cache.
  const again = await context.newPage();
  const returning = await watchNetwork(again);
  await visit(again, '/', testInfo);
  await again.waitForLoadState('networkidle');
  const asked = returning.code().filter((file) => !file.fromCache);
  expect(asked, 'code asked of the server again').toEqual([]);
  expect(returning.code().length).toBeGreaterThan(0);
});
