import { expect, test } from '@playwright/test';
import { isHydrated, visit } from './site';

// Each project counts its own article, so that the two can run side by side.
function articleFor(hydrated: boolean) {
  return hydrated ? '2024年上半年深圳美业发展情况通报' : '第三届深圳美发技能大赛圆满落幕';
}

test('浏览量 counts a visitor once, and another visitor too', async ({ browser }, testInfo) => {
  const title = articleFor(isHydrated(testInfo));
  const first = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const reader = await first.newPage();
  // Arrive the way readers do: at the home page, then into an article.
  await visit(reader, '/', testInfo);
  await reader.getByRole('link', { name: title }).first().click();
  await expect(reader.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const countText = reader.getByText(/浏览量:\d+/);
  const counted = Number((await countText.textContent())!.match(/\d+/)![0]);
  expect(counted).toBeGreaterThan(0);

  await reader.reload();
  await expect(countText).toHaveText(`浏览量:${counted}`, { useInnerText: true });

  const second = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const other = await second.newPage();
  await visit(other, '/', testInfo);
  await other.getByRole('link', { name: title }).first().click();
  const otherCount = Number((await other.getByText(/浏览量:\d+/).textContent())!.match(/\d+/)![0]);
  expect(otherCount).toBeGreaterThan(counted);

  await reader.reload();
  await expect(reader.getByText(/浏览量:\d+/)).toHaveText(`浏览量:${otherCount}`);
  await first.close();
  await second.close();
});
