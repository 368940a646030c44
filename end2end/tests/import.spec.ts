import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHydrated } from './site';

// A site of its own: a new installation that imports the DedeCMS fixture, served beside
// the demo site on another port.
const bin = process.env.GAZETTE_BIN ?? '../target/debug/gazette';
const fixtures = path.resolve('../tests/fixtures/dedecms');
const password = 'import-admin-password';

let folder: string;
let server: ChildProcess | undefined;
let origin: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({}, testInfo) => {
  const port = Number(process.env.GAZETTE_E2E_PORT ?? 3100) + 50 + testInfo.parallelIndex;
  origin = `http://127.0.0.1:${port}`;
  folder = mkdtempSync(path.join(tmpdir(), 'gazette-import-'));
  const env = {
    ...process.env,
    GAZETTE_DATABASE_URL: `sqlite://${folder}/site.db`,
    GAZETTE_UPLOADS_DIR: `${folder}/uploads`,
    LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? path.resolve('../target/site'),
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    GAZETTE_PUBLIC_BASE_URL: origin,
    GAZETTE_DEMO: '0',
    RUST_LOG: 'warn',
  };
  const report = execFileSync(
    bin,
    ['import', 'dedecms', `${fixtures}/site-utf8.sql`, '--uploads', `${fixtures}/uploads`],
    { env, encoding: 'utf8' },
  );
  expect(report).toContain('文章        新增 9');
  execFileSync(bin, ['user', 'add', 'admin', '--role', 'admin'], { env, input: `${password}\n${password}\n` });
  server = spawn(bin, [], { env, stdio: 'inherit' });
  await expect
    .poll(async () => (await fetch(`${origin}/healthz`).catch(() => undefined))?.status, { timeout: 30_000 })
    .toBe(200);
});

test.afterAll(() => {
  server?.kill();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function open(page: Page, address: string, testInfo: TestInfo) {
  await page.goto(`${origin}${address}`);
  if (isHydrated(testInfo)) {
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
  }
}

test('an old DedeCMS address lands on the imported article with its pictures', async ({ page }, testInfo) => {
  await open(page, '/a/hangye/zhengce/2020/1023/1.html', testInfo);
  await expect(page).toHaveURL(/\/article\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: '深圳市出台美容美发行业管理新规' })).toBeVisible();
  await expect(page.getByText('信息来源:深圳特区报')).toBeVisible();
  const picture = page.getByRole('img', { name: '现场' });
  await expect(picture).toBeVisible();
  // Loaded from our uploads, not broken: the 8×8 picture from the old uploads folder.
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(8);
  expect(await picture.getAttribute('src')).toMatch(/^\/uploads\/[0-9a-f]+\.png$/);

  // The dynamic address of another article, its escaped title shown as text.
  await open(page, '/plus/view.php?aid=2', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('"双创"政策解读:<b>小微企业</b>如何申请补贴');
  await expect(page.getByRole('heading', { level: 2, name: '申请条件' })).toBeVisible();

  // A category's old folder.
  await open(page, '/a/hangye/zhengce/', testInfo);
  await expect(page).toHaveURL(/\/category\/zhengce$/);
  await expect(page.getByRole('link', { name: '深圳市出台美容美发行业管理新规' })).toBeVisible();
});

test('an editor adds a redirect and visitors follow it', async ({ page }, testInfo) => {
  await open(page, '/admin/login', testInfo);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '管理菜单' }).getByRole('link', { name: '旧地址跳转' }).click();
  await expect(page.getByRole('heading', { name: '旧地址跳转' })).toBeVisible();
  if (isHydrated(testInfo)) {
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
  }
  const old = `/zhuanti/${testInfo.project.name}.html`;
  await page.getByRole('textbox', { name: '旧地址', exact: true }).fill(`http://www.example-old.org${old}`);
  await page.getByRole('textbox', { name: '新地址', exact: true }).fill('/category/zhengce');
  await page.getByRole('button', { name: '添加跳转' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已创建' })).toBeVisible();
  await page.getByRole('searchbox', { name: '地址包含' }).fill(testInfo.project.name);
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page.getByRole('cell', { name: old, exact: true })).toBeVisible();

  // A rejected redirect keeps what was typed.
  await page.getByRole('textbox', { name: '旧地址', exact: true }).fill(old);
  await page.getByRole('textbox', { name: '新地址', exact: true }).fill('/elsewhere');
  await page.getByRole('button', { name: '添加跳转' }).click();
  await expect(page.getByRole('alert')).toContainText('已经有跳转');
  await expect(page.getByRole('textbox', { name: '新地址', exact: true })).toHaveValue('/elsewhere');

  // Followed from the list: after hydration the router asks the server about an address it
  // does not know, and the server redirects.
  await page.getByRole('link', { name: old, exact: true }).click();
  await expect(page).toHaveURL(/\/category\/zhengce$/);
  await expect(page.getByRole('link', { name: '深圳市出台美容美发行业管理新规' })).toBeVisible();

  await open(page, old, testInfo);
  await expect(page).toHaveURL(/\/category\/zhengce$/);
});
