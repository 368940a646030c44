import { expect, test } from '@playwright/test';
import { visit, watchConsole } from './site';

for (const path of ['/article/999999', '/article/abc', '/category/nope', '/category/news?page=99999', '/category/news?page=-1', '/no/such/page']) {
  test(`404 for ${path}`, async ({ page }, testInfo) => {
    const problems = watchConsole(page, testInfo);
    const response = await visit(page, path, testInfo);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: '抱歉,您访问的页面不存在' })).toBeVisible();
    await expect(page).toHaveTitle('页面不存在 - 深圳市美容行业协会');
    await page.getByRole('link', { name: '返回首页' }).click();
    await expect(page.getByRole('heading', { name: '头条新闻' })).toBeVisible();
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
  });
}
