import { expect, type Page, type TestInfo } from '@playwright/test';
import { isHydrated, visit } from './site';

export const ADMIN = { name: 'admin', password: 'e2e-admin-password' };

/** A name no other test or project uses. */
export function unique(testInfo: TestInfo, base: string): string {
  const project = isHydrated(testInfo) ? 'h' : 'n';
  return `${base}-${project}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

export async function signIn(page: Page, testInfo: TestInfo, name = ADMIN.name, password = ADMIN.password) {
  await visit(page, '/admin/login', testInfo);
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '管理菜单' })).toBeVisible();
  if (isHydrated(testInfo)) {
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
  }
}

/** Fills the article form's title and body; the body is the rich editor when hydrated. */
export async function fillArticle(page: Page, title: string, body: string) {
  await page.getByLabel('标题', { exact: true }).fill(title);
  await page.getByLabel('栏目').selectOption({ label: '会员风采' });
  await page.getByRole('textbox', { name: '正文' }).fill(body);
}

/** The id in the URL of an article's form. */
export function articleId(page: Page): string {
  const match = page.url().match(/\/admin\/articles\/(\d+)/);
  expect(match, page.url()).not.toBeNull();
  return match![1];
}

/** Creates a user as the signed-in admin, on the users page. */
export async function createUser(page: Page, testInfo: TestInfo, name: string, role: string, password: string) {
  await visit(page, '/admin/users', testInfo);
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('角色').first().selectOption({ label: role });
  await page.getByLabel('初始密码').fill(password);
  await page.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已创建' })).toBeVisible();
}
