import { expect, test } from '@playwright/test';
import { MODEL_TITLE, expectSameDocument, isHydrated, markDocument, visit, watchConsole } from './site';

test('searching from the header finds Chinese words', async ({ page }, testInfo) => {
  const problems = watchConsole(page, testInfo);
  await visit(page, '/', testInfo);
  await markDocument(page);
  await page.getByRole('searchbox', { name: '站内搜索' }).fill('双城联动');
  await page.getByRole('search').getByRole('button', { name: '搜索' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '“双城联动”的搜索结果' })).toBeVisible();
  await expect(page.getByText('共 1 条结果')).toBeVisible();
  const results = page.getByRole('list', { name: '搜索结果' });
  await results.getByRole('link', { name: MODEL_TITLE }).click();
  await expect(page.getByRole('heading', { level: 1, name: MODEL_TITLE })).toBeVisible();
  if (isHydrated(testInfo)) {
    await expectSameDocument(page);
  }
  expect(problems).toEqual([]);
});

test('the search form filters by category and explains short queries', async ({ page }, testInfo) => {
  await visit(page, '/search', testInfo);
  await page.getByLabel('关键词', { exact: true }).fill('政');
  await page.getByRole('main').getByRole('button', { name: '搜索' }).click();
  await expect(page.getByText('请至少输入两个汉字')).toBeVisible();

  await page.getByLabel('关键词', { exact: true }).fill('会员');
  await page.getByLabel('栏目', { exact: true }).selectOption('通知公告');
  await page.getByRole('main').getByRole('button', { name: '搜索' }).click();
  await expect(page.getByText(/共 \d+ 条结果/)).toBeVisible();
  const results = page.getByRole('list', { name: '搜索结果' });
  await expect(results.getByRole('link', { name: '通知公告' }).first()).toBeVisible();
  await expect(results.getByRole('link', { name: '行业动态' })).toHaveCount(0);
});
