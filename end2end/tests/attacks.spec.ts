import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIn } from './admin';
import { visit, watchConsole } from './site';

// Runs as its own project, after the others: it fills the site with hostile content.

const payloads = readFileSync(join(__dirname, '../../tests/data/xss-payloads.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0);

/** Records what would show that an injected script ran, or that the policy blocked ours. */
async function watchForScripts(page: Page): Promise<string[]> {
  const ran: string[] = [];
  page.on('dialog', async (dialog) => {
    ran.push(`dialog on ${page.url()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as any;
    w.__ran = [];
    w.xss = () => w.__ran.push(location.href);
    document.addEventListener('securitypolicyviolation', (event) =>
      w.__ran.push(`policy blocked ${event.violatedDirective} ${event.blockedURI} on ${location.href}`),
    );
  });
  return ran;
}

async function scriptsThatRan(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__ran as string[]);
}

/** Calls a server function as the signed-in page would; returns its Location header. */
async function call(page: Page, endpoint: string, form: Record<string, string>): Promise<string> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(`/api/${endpoint}`, {
    form,
    headers: { Origin: origin, Accept: 'application/json' },
    maxRedirects: 0,
  });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBeLessThan(300);
  return response.headers()['location'] ?? '';
}

test('the site runs whole under its content security policy', async ({ page }, testInfo) => {
  const ran = await watchForScripts(page);
  const problems = watchConsole(page, testInfo);
  for (const path of ['/', '/category/news', '/search?q=协会']) {
    await visit(page, path, testInfo);
    expect(await scriptsThatRan(page), path).toEqual([]);
  }
  // Client-side navigation and the article page.
  await visit(page, '/', testInfo);
  await page.getByRole('link', { name: /双城联动/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /双城联动/ })).toBeVisible();
  expect(await scriptsThatRan(page)).toEqual([]);
  // The editors' area loads its code on demand, and the rich editor its script.
  await signIn(page, testInfo);
  await visit(page, '/admin/articles/new', testInfo);
  await expect(page.getByRole('toolbar', { name: '正文格式' })).toBeVisible();
  expect(await scriptsThatRan(page)).toEqual([]);
  expect(ran).toEqual([]);
  expect(problems.filter((problem) => /Content Security Policy/i.test(problem))).toEqual([]);
});

test('no injected script runs on any page that shows it', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  expect(payloads.length).toBeGreaterThanOrEqual(50);
  const ran = await watchForScripts(page);
  await signIn(page, testInfo);
  const pages: string[] = [];
  for (const [i, payload] of payloads.entries()) {
    const location = await call(page, 'admin/save_article', {
      id: '0',
      version: '0',
      intent: 'publish',
      'form[title]': `X${i} ${payload}`.slice(0, 100),
      'form[subtitle]': payload.slice(0, 100),
      'form[category_id]': '2',
      'form[source]': payload.slice(0, 50),
      'form[author]': payload.slice(0, 50),
      'form[info_source]': payload.slice(0, 100),
      'form[summary]': payload,
      // Long ago, so that the demo's own articles stay first.
      'form[publish_at]': '2001-01-01T08:00',
      'form[body]': `<p>${payload}</p>${payload}`,
    });
    const id = location.match(/\/admin\/articles\/(\d+)/)?.[1];
    expect(id, location).toBeTruthy();
    await call(page, 'admin/save_category', {
      id: '0',
      'form[name]': payload.slice(0, 20),
      'form[slug]': `xss-${i}`,
      'form[parent_id]': '0',
      'form[position]': '99',
      'form[kind]': 'page',
      'form[description]': payload.slice(0, 200),
      'form[page_body]': payload,
    });
    await call(page, 'admin/save_link', {
      id: '0',
      'link[name]': payload.slice(0, 40),
      'link[url]': 'https://example.org/',
      'link[group_name]': payload.slice(0, 20),
      'link[position]': '0',
    });
    // Every article page; a sample of the rest (lists show every title, and searches are
    // limited per address).
    pages.push(`/article/${id}`);
    if (i % 4 === 0) {
      pages.push(`/category/xss-${i}`, `/search?q=${encodeURIComponent(payload)}`);
    }
    if (i % 10 === 0) {
      pages.push(`/admin/articles/${id}`, `/admin/articles/${id}/preview`);
    }
  }
  // The header and footer show the settings on every page.
  await call(page, 'admin/save_settings', {
    'settings[name]': payloads.slice(0, 8).join(' ').slice(0, 200),
    'settings[short_name]': payloads[3],
    'settings[description]': payloads[9],
    'settings[address]': payloads[16],
    'settings[postcode]': payloads[23],
    'settings[phone]': payloads[40],
    'settings[fax]': payloads[41],
    'settings[email]': '',
    'settings[icp_number]': payloads[42],
    'settings[police_number]': payloads[44],
    'settings[copyright]': payloads[46],
    'settings[logo]': '',
  });
  pages.push(
    '/',
    // Category 2 (政策法规) lists every title, oldest on the last pages.
    '/category/policy?page=2',
    '/category/policy?page=3',
    '/category/policy?page=4',
    '/admin',
    '/admin/categories',
    '/admin/links',
    '/admin/settings',
  );
  for (const path of pages) {
    await test.step(path, async () => {
      await visit(page, path, testInfo);
      expect(await scriptsThatRan(page), path).toEqual([]);
    });
  }
  // Client-side navigation renders in the browser rather than on the server.
  await visit(page, '/', testInfo);
  await page.getByRole('link', { name: '会员风采' }).first().click();
  await expect(page).toHaveURL(/\/category\//);
  expect(await scriptsThatRan(page)).toEqual([]);
  expect(ran).toEqual([]);
});
