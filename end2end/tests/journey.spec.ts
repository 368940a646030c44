import { expect, test } from '@playwright/test';
import { MODEL_TITLE, expectSameDocument, isHydrated, markDocument, visit, watchConsole } from './site';

test('home → category → page 2 → article → breadcrumb back', async ({ page }, testInfo) => {
  const problems = watchConsole(page, testInfo);
  await visit(page, '/', testInfo);
  await expect(page).toHaveTitle('深圳市美容行业协会');
  await expect(page.getByRole('link', { name: '深圳市美容行业协会', exact: true })).toBeVisible();
  await markDocument(page);

  const nav = page.getByRole('navigation', { name: '栏目导航' });
  await nav.getByRole('link', { name: '行业动态', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '行业动态' })).toBeVisible();
  await expect(page.getByText('共 39 条 / 第 1/2 页')).toBeVisible();
  await expect(page).toHaveTitle('行业动态 - 深圳市美容行业协会');

  const pager = page.getByRole('navigation', { name: '分页' });
  await pager.getByRole('link', { name: '2', exact: true }).click();
  await expect(page).toHaveURL(/\/category\/news\?page=2$/);
  await expect(page.getByText('共 39 条 / 第 2/2 页')).toBeVisible();
  await expect(page).toHaveTitle('行业动态 - 第2页 - 深圳市美容行业协会');

  const firstArticle = page.getByRole('list', { name: '文章列表' }).getByRole('link').first();
  const title = (await firstArticle.textContent())!;
  await firstArticle.click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(/来源:.+/)).toBeVisible();
  await expect(page.getByText(/发布日期:\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)).toBeVisible();

  const breadcrumb = page.getByRole('navigation', { name: '当前位置' });
  await expect(breadcrumb).toContainText('您现在的位置:主页 > 行业动态 >');
  await breadcrumb.getByRole('link', { name: '行业动态' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '行业动态' })).toBeVisible();
  await expect(page).toHaveURL(/\/category\/news$/);

  await breadcrumb.getByRole('link', { name: '主页' }).click();
  await expect(page.getByRole('heading', { name: '头条新闻' })).toBeVisible();
  await expect(page.getByRole('link', { name: MODEL_TITLE }).first()).toBeVisible();

  if (isHydrated(testInfo)) {
    await expectSameDocument(page);
  }
  expect(problems).toEqual([]);
});

test('the model article reads as the original', async ({ page }, testInfo) => {
  const problems = watchConsole(page, testInfo);
  await visit(page, '/category/policy', testInfo);
  await page.getByRole('link', { name: MODEL_TITLE }).click();
  await expect(page.getByRole('heading', { level: 1, name: MODEL_TITLE })).toBeVisible();
  await expect(page.getByText('来源:未知')).toBeVisible();
  await expect(page.getByText('发布日期:2020-10-23 14:37')).toBeVisible();
  await expect(page.getByText('信息来源:深圳特区报')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '专家学者和企业家代表建言广深双城联动' })).toBeVisible();
  for (const sub of ['粤港澳大湾区要协调联动一体发展', '构建嵌入型世界经济平台', '四个“相互”提升联动整体效应', '带动大湾区公共服务一体化发展']) {
    await expect(page.getByRole('heading', { level: 3, name: sub })).toBeVisible();
  }
  const breadcrumb = page.getByRole('navigation', { name: '当前位置' });
  await expect(breadcrumb).toHaveText('您现在的位置:主页 > 行业动态 > 政策法规 >');
  const neighbours = page.getByRole('navigation', { name: '上一篇和下一篇' });
  await expect(neighbours).toContainText('上一篇:');
  await expect(neighbours).toContainText('下一篇:');

  const footer = page.getByRole('contentinfo');
  await expect(footer.getByRole('link', { name: '粤ICP备17113859号' })).toHaveAttribute('href', 'https://beian.miit.gov.cn/');
  await expect(footer).toContainText('邮编:518000');
  await expect(page.getByRole('heading', { name: '友情链接' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('single pages and sub-categories', async ({ page }, testInfo) => {
  const problems = watchConsole(page, testInfo);
  await visit(page, '/category/about', testInfo);
  await expect(page.getByRole('heading', { level: 1, name: '关于我们' })).toBeVisible();
  await page.getByRole('navigation', { name: '子栏目' }).getByRole('link', { name: '协会章程' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '协会章程' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '第一章 总则' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('readable on a phone', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ['/', '/category/news', '/category/policy']) {
    await visit(page, path, testInfo);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
