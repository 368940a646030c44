import { expect, test } from '@playwright/test';
import { MODEL_TITLE, visit } from './site';

test.use({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });

test('on a phone the search button keeps one line and the article starts on the first screen', async ({ page }, testInfo) => {
  await visit(page, '/article/1', testInfo);
  const button = page.getByRole('button', { name: '搜索', exact: true });
  await expect(button).toBeVisible();
  // The label's text lies on one line: a wrapped 搜/索 has two line boxes.
  const lines = await button.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
  });
  expect(lines).toBe(1);
  const title = page.getByRole('heading', { level: 1, name: MODEL_TITLE });
  const box = await title.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y + box!.height).toBeLessThan(667 * 0.6);
  // The contact details are still on the page, in the footer.
  const footer = page.getByRole('contentinfo');
  await expect(footer.getByText(/电话:/)).toBeVisible();
  await expect(footer.getByText(/传真:/)).toBeVisible();
  await expect(footer.getByText(/邮箱:/)).toBeVisible();
});
