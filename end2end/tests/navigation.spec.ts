import { expect, test } from '@playwright/test';
import { MODEL_TITLE, expectSameDocument, isHydrated, markDocument, visit, watchConsole } from './site';

test.beforeEach(({}, testInfo) => {
  test.skip(!isHydrated(testInfo), 'without JavaScript every link is a full load');
});

test('back and forward return to the page and to where the reader was on it', async ({ page }, testInfo) => {
  const problems = watchConsole(page, testInfo);
  await page.setViewportSize({ width: 1024, height: 600 });
  await visit(page, '/category/news', testInfo);
  await markDocument(page);
  const list = page.getByRole('list', { name: '文章列表' });
  const last = list.getByRole('link').last();
  const title = (await last.textContent())!;
  await last.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(0);

  await last.click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${title}`));
  // A new page starts at its top, with focus on its content rather than on a link now gone.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByRole('main')).toBeFocused();
  const description = () => page.evaluate(() => document.querySelector('meta[name="description"]')?.getAttribute('content'));
  const articleDescription = await description();

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '行业动态' })).toBeVisible();
  await expect(page).toHaveTitle('行业动态 - 深圳市美容行业协会');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
  expect(await description()).not.toBe(articleDescription);

  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  expect(await description()).toBe(articleDescription);
  await expectSameDocument(page);
  expect(problems).toEqual([]);
});

test('the search form shows its results without a full load', async ({ page }, testInfo) => {
  const problems = watchConsole(page, testInfo);
  await visit(page, '/', testInfo);
  await markDocument(page);
  const search = page.getByRole('search');
  await search.getByRole('searchbox').fill('双城联动');
  await search.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.getByRole('link', { name: MODEL_TITLE }).first()).toBeVisible();
  await expectSameDocument(page);
  expect(problems).toEqual([]);
});

test('a page from another version of the site is loaded in full', async ({ page }, testInfo) => {
  await visit(page, '/', testInfo);
  await markDocument(page);
  // The server has been upgraded since this page was loaded: its pages name other files.
  await page.route(/\/article\/\d+$/, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/\/assets\/[0-9a-f]+\/navigation\.js/, '/assets/0123456789abcdef/navigation.js');
    await route.fulfill({ response, body: html });
  });
  await page.getByRole('link', { name: MODEL_TITLE }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: MODEL_TITLE })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBeUndefined();
});

test('a link to the page on screen loads it again in place, not as another history entry', async ({ page }, testInfo) => {
  await visit(page, '/', testInfo);
  await markDocument(page);
  const nav = page.getByRole('navigation', { name: '栏目导航' });
  await nav.getByRole('link', { name: '行业动态', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '行业动态' })).toBeVisible();
  const again = page.waitForResponse((response) => response.url().endsWith('/category/news'));
  await nav.getByRole('link', { name: '行业动态', exact: true }).click();
  await again;
  // Shown once the new page is in place of the old one.
  await expect(page.getByRole('main')).not.toHaveAttribute('aria-busy', 'true');
  await page.goBack();
  await expect(page.getByRole('heading', { name: '头条新闻' })).toBeVisible();
  await expectSameDocument(page);
});

test('a reload keeps the reader where they were, after pages swapped in too', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 600 });
  await visit(page, '/', testInfo);
  await page.getByRole('link', { name: MODEL_TITLE }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: MODEL_TITLE })).toBeVisible();
  await page.getByRole('heading', { name: '友情链接' }).scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: MODEL_TITLE })).toBeAttached();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
});
