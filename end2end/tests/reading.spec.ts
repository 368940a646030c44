import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { isHydrated, visit, watchConsole } from './site';

test('large text and high contrast are remembered across pages', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const page = await context.newPage();
  const problems = watchConsole(page, testInfo);
  await visit(page, '/category/news', testInfo);
  await page.getByRole('link', { name: '大字号 · 高对比' }).click();
  await expect(page).toHaveURL(/\/category\/news$/);
  await expect(page.locator('html')).toHaveClass('reading-large');
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize))
    .toBe('20px');

  await page.getByRole('navigation', { name: '栏目导航' }).getByRole('link', { name: '通知公告' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '通知公告' })).toBeVisible();
  await expect(page.locator('html')).toHaveClass('reading-large');

  await page.getByRole('link', { name: '标准字号' }).click();
  await expect(page.getByRole('link', { name: '大字号 · 高对比' })).toBeVisible();
  await expect(page.locator('html')).not.toHaveClass('reading-large');
  expect(problems).toEqual([]);
  await context.close();
});

test('the keyboard reaches the content first, then every link', async ({ page }, testInfo) => {
  await visit(page, '/article/1', testInfo);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到正文' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  // Sub-categories open for keyboard users as they do on hover.
  const nav = page.getByRole('navigation', { name: '栏目导航' });
  await nav.getByRole('link', { name: '行业动态', exact: true }).focus();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: '政策法规' })).toBeFocused();
  await expect(nav.getByRole('link', { name: '政策法规' })).toBeVisible();
});

test('an article prints without the site around it', async ({ page }, testInfo) => {
  await visit(page, '/article/1', testInfo);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText(/发布日期:/)).toBeVisible();
  await expect(page.getByText('信息来源:深圳特区报')).toBeVisible();
  await expect(page.getByRole('navigation', { name: '栏目导航' })).toBeHidden();
  await expect(page.getByRole('navigation', { name: '当前位置' })).toBeHidden();
  await expect(page.getByRole('contentinfo')).toBeHidden();
});

// Serious and critical problems only: those that stop people from using a page.
for (const large of [false, true]) {
  for (const path of ['/', '/category/news', '/article/1', '/search?q=%E6%94%BF%E7%AD%96', '/no/such/page']) {
    test(`no serious accessibility problem on ${path}${large ? ' in large mode' : ''}`, async ({ browser }, testInfo) => {
      // axe runs as a script in the page; the markup it checks is the same without JavaScript.
      test.skip(!isHydrated(testInfo), 'axe needs JavaScript in the page');
      const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
      if (large) {
        await context.addCookies([{ name: 'gz_reading', value: 'large', url: testInfo.project.use.baseURL! }]);
      }
      const page = await context.newPage();
      await visit(page, path, testInfo);
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect(serious).toEqual([]);
      await context.close();
    });
  }
}
