import { expect, test } from '@playwright/test';
import { ADMIN, articleId, fillArticle, signIn, unique } from './admin';
import { isHydrated, visit, watchConsole } from './site';

// Journeys through several accounts and pages: each signs in more than once.
test.describe.configure({ timeout: 90_000 });

test('sign-in refuses a wrong password without saying which part was wrong', async ({ page }, testInfo) => {
  await visit(page, '/admin', testInfo);
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin/);
  await page.getByLabel('用户名').fill('nobody-' + testInfo.project.name);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误');
  await expect(page.getByLabel('用户名')).toHaveValue('nobody-' + testInfo.project.name);
  if (!isHydrated(testInfo)) {
    // The server never sends a password back into a page.
    await expect(page.getByLabel('密码')).toHaveValue('');
  }
  await signIn(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: '文章管理' })).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/admin\/login/);
  await visit(page, '/admin/settings', testInfo);
  await expect(page).toHaveURL(/\/admin\/login/);
});

test('write, preview, publish', async ({ page }, testInfo) => {
  const problems = watchConsole(page, testInfo);
  await signIn(page, testInfo);
  await page.getByRole('navigation', { name: '管理菜单' }).getByRole('link', { name: '写文章' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '写文章' })).toBeVisible();
  const title = unique(testInfo, '会员单位开展公益活动');
  // Rejected first: the form keeps what was typed and names the field.
  await page.getByLabel('标题', { exact: true }).fill(title);
  await page.getByLabel('信息来源网址').fill('javascript:alert(1)');
  await page.getByLabel('栏目').selectOption({ label: '会员风采' });
  await page.getByRole('textbox', { name: '正文' }).fill('九月,会员单位走进社区开展义剪活动。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('alert')).toContainText('信息来源网址');
  await expect(page.getByLabel('标题', { exact: true })).toHaveValue(title);
  await expect(page.getByRole('textbox', { name: '正文' })).toContainText('义剪活动');

  await page.getByLabel('信息来源网址').fill('https://www.example.org/news');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await expect(page.getByText(/状态:草稿/)).toBeVisible();
  const id = articleId(page);

  // A draft is not public, but its preview shows it as visitors will see it.
  const response = await page.request.get(`/article/${id}`);
  expect(response.status()).toBe(404);
  await page.getByRole('link', { name: '预览' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('九月,会员单位走进社区开展义剪活动。')).toBeVisible();
  await page.getByRole('link', { name: '返回编辑' }).click();

  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发布' })).toBeVisible();
  await visit(page, `/article/${id}`, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '当前位置' })).toContainText('会员风采');
  // The rejected save is a 400, which the browser reports; nothing else may go wrong.
  expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
});

test('a contributor submits; an editor rejects, then approves', async ({ browser, page }, testInfo) => {
  const writer = unique(testInfo, 'writer');
  await signIn(page, testInfo);
  await page.getByRole('navigation', { name: '管理菜单' }).getByRole('link', { name: '用户' }).click();
  const create = page.getByRole('form').filter({ has: page.getByRole('button', { name: '创建用户' }) });
  await page.getByLabel('用户名').fill(writer);
  await page.getByLabel('角色').first().selectOption({ label: '投稿人' });
  await page.getByLabel('初始密码').fill('writer-password-1');
  await page.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已创建' })).toBeVisible();
  await expect(page.getByRole('heading', { name: `${writer}(投稿人)` })).toBeVisible();
  void create;

  const writerContext = await browser.newContext({ javaScriptEnabled: isHydrated(testInfo) });
  const writerPage = await writerContext.newPage();
  await signIn(writerPage, testInfo, writer, 'writer-password-1');
  const menu = writerPage.getByRole('navigation', { name: '管理菜单' });
  await expect(menu.getByRole('link', { name: '用户' })).toHaveCount(0);
  await menu.getByRole('link', { name: '写文章' }).click();
  await expect(writerPage.getByRole('heading', { level: 1, name: '写文章' })).toBeVisible();
  const title = unique(testInfo, '投稿:美容师技能竞赛');
  await fillArticle(writerPage, title, '第一稿。');
  await expect(writerPage.getByRole('button', { name: '发布' })).toHaveCount(0);
  await writerPage.getByRole('button', { name: '提交审核' }).click();
  await expect(writerPage.getByRole('status').filter({ hasText: '已提交审核' })).toBeVisible();
  const id = articleId(writerPage);

  await visit(page, `/admin?status=pending`, testInfo);
  await page.getByRole('link', { name: title }).click();
  await page.getByLabel(/退回原因/).fill('请补充比赛时间和地点');
  await page.getByRole('button', { name: '退回修改' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已退回修改' })).toBeVisible();

  await visit(writerPage, `/admin/articles/${id}`, testInfo);
  await expect(writerPage.getByRole('note')).toContainText('请补充比赛时间和地点');
  await writerPage.getByRole('textbox', { name: '正文' }).fill('第二稿:10 月 18 日在会展中心举行。');
  await writerPage.getByRole('button', { name: '提交审核' }).click();
  await expect(writerPage.getByRole('status').filter({ hasText: '已提交审核' })).toBeVisible();

  await visit(page, `/admin/articles/${id}`, testInfo);
  await page.getByRole('button', { name: '审核通过并发布' }).click();
  await expect(page.getByRole('status').filter({ hasText: '审核通过' })).toBeVisible();
  await visit(writerPage, `/article/${id}`, testInfo);
  await expect(writerPage.getByText('第二稿:10 月 18 日在会展中心举行。')).toBeVisible();
  await writerContext.close();
});

test('a scheduled article waits for its time', async ({ page }, testInfo) => {
  await signIn(page, testInfo);
  await visit(page, '/admin/articles/new', testInfo);
  const title = unique(testInfo, '定时发布的通知');
  await fillArticle(page, title, '明年生效。');
  await page.getByLabel(/发布时间/).fill('2099-01-01T09:00');
  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByText(/状态:定时发布/)).toBeVisible();
  const id = articleId(page);
  expect((await page.request.get(`/article/${id}`)).status()).toBe(404);
  await visit(page, '/admin', testInfo);
  await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('定时发布');
});

test('history compares revisions and restores one', async ({ page }, testInfo) => {
  await signIn(page, testInfo);
  await visit(page, '/admin/articles/new', testInfo);
  const first = unique(testInfo, '第一版标题');
  await fillArticle(page, first, '原来的正文。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText(/第 1 版/)).toBeVisible();
  const second = first.replace('第一版', '第二版');
  await page.getByLabel('标题', { exact: true }).fill(second);
  await page.getByRole('textbox', { name: '正文' }).fill('修改后的正文。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText(/第 2 版/)).toBeVisible();

  await page.getByRole('link', { name: '历史版本' }).click();
  await page.getByRole('button', { name: '比较所选版本' }).click();
  const diff = page.getByRole('region', { name: '第 1 版 → 第 2 版的修改' });
  await expect(diff.getByText('原来的正文。')).toBeVisible();
  await expect(diff.getByText('修改后的正文。')).toBeVisible();
  await page.getByRole('button', { name: '恢复第 1 版' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已恢复旧版本' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '恢复为第 1 版' })).toBeVisible();
  await page.getByRole('link', { name: /返回编辑/ }).click();
  await expect(page.getByLabel('标题', { exact: true })).toHaveValue(first);
});

test('a second save over someone else’s is refused and keeps the text', async ({ browser, page }, testInfo) => {
  await signIn(page, testInfo);
  await visit(page, '/admin/articles/new', testInfo);
  const title = unique(testInfo, '两人同时编辑');
  await fillArticle(page, title, '初稿。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText(/第 1 版/)).toBeVisible();
  const id = articleId(page);

  const other = await browser.newContext({ javaScriptEnabled: isHydrated(testInfo) });
  const otherPage = await other.newPage();
  await signIn(otherPage, testInfo);
  await visit(otherPage, `/admin/articles/${id}`, testInfo);

  await page.getByLabel('标题', { exact: true }).fill(title + '(甲改)');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText(/第 2 版/)).toBeVisible();

  await otherPage.getByLabel('标题', { exact: true }).fill(title + '(乙改)');
  await otherPage.getByRole('textbox', { name: '正文' }).fill('乙写的正文。');
  await otherPage.getByRole('button', { name: '保存草稿' }).click();
  await expect(otherPage.getByRole('alert')).toContainText(`${ADMIN.name} 在`);
  await expect(otherPage.getByRole('alert')).toContainText('修改了这篇文章');
  await expect(otherPage.getByLabel('标题', { exact: true })).toHaveValue(title + '(乙改)');
  await expect(otherPage.getByRole('textbox', { name: '正文' })).toContainText('乙写的正文。');
  await other.close();
});

test('categories, links and settings show on the public site', async ({ page }, testInfo) => {
  await signIn(page, testInfo);
  const slug = unique(testInfo, 'training').toLowerCase();
  const name = `培训${slug.slice(-6)}`;
  await visit(page, '/admin/categories/new', testInfo);
  await page.getByLabel('栏目名称').fill(name);
  await page.getByLabel(/英文标识/).fill(slug);
  await page.getByLabel('上级栏目').selectOption({ label: '行业动态' });
  await page.getByRole('button', { name: '保存栏目' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await visit(page, `/category/${slug}`, testInfo);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  // A category that holds a sub-category is not deleted, and the message says why.
  await visit(page, '/admin/categories', testInfo);
  await page.getByRole('link', { name: '行业动态', exact: true }).click();
  await page.getByRole('button', { name: '删除栏目' }).click();
  await expect(page.getByRole('alert')).toContainText('不能删除');

  const link = unique(testInfo, '友好协会');
  await visit(page, '/admin/links', testInfo);
  await page.getByLabel('名称').first().fill(link);
  await page.getByLabel('网址').first().fill('https://www.example.org/');
  await page.getByRole('button', { name: '添加' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();

  // Each project changes its own field, so the two can run side by side, and neither is
  // one that another test reads (journey.spec checks the seed page's 邮编).
  const [label, value] = isHydrated(testInfo) ? ['传真', '0755-11112222'] : ['邮箱', 'office@example.org'];
  await visit(page, '/admin/settings', testInfo);
  await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();

  await visit(page, '/', testInfo);
  await expect(page.getByRole('link', { name: link })).toBeVisible();
  await expect(page.getByText(`${label}:${value}`).first()).toBeVisible();
});

test('an uploaded image shows in the article', async ({ page }, testInfo) => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  await signIn(page, testInfo);
  await visit(page, '/admin/articles/new', testInfo);
  const title = unique(testInfo, '活动照片');
  await fillArticle(page, title, '活动现场:');
  if (isHydrated(testInfo)) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('toolbar', { name: '正文格式' }).getByRole('button', { name: '图片', exact: true }).click();
    await (await chooser).setFiles({ name: '现场.png', mimeType: 'image/png', buffer: png });
    await expect(page.getByRole('status').filter({ hasText: '已插入图片' })).toBeVisible();
  } else {
    // Without JavaScript: upload on the uploads page, then put the address in the body.
    const editor = page.url();
    await visit(page, '/admin/uploads', testInfo);
    await page.getByLabel('选择文件').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('button', { name: '上传' }).click();
    const done = await page.getByRole('status').textContent();
    const url = done!.match(/\/uploads\/[a-z0-9.]+/)![0];
    await visit(page, editor, testInfo);
    await fillArticle(page, title, `<p>活动现场:</p><p><img src="${url}" alt="现场"></p>`);
  }
  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发布' })).toBeVisible();
  await visit(page, `/article/${articleId(page)}`, testInfo);
  const image = page.getByRole('article').getByRole('img');
  await expect(image).toBeVisible();
  const loaded = await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 1);
  expect(loaded).toBe(true);
});

test('deleting archives; an admin then deletes for good', async ({ page }, testInfo) => {
  await signIn(page, testInfo);
  await visit(page, '/admin/articles/new', testInfo);
  const title = unique(testInfo, '将被删除的文章');
  await fillArticle(page, title, '很快就会删除。');
  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发布' })).toBeVisible();
  const id = articleId(page);

  await page.getByRole('button', { name: '删除(归档)' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已归档' })).toBeVisible();
  expect((await page.request.get(`/article/${id}`)).status()).toBe(404);

  await page.getByLabel(/确认永久删除/).check();
  await page.getByRole('button', { name: '永久删除' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已删除' })).toBeVisible();
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  expect((await page.request.get(`/admin/articles/${id}`)).status()).toBe(404);
});

test('every user changes their own password', async ({ browser, page }, testInfo) => {
  const name = unique(testInfo, 'editor');
  await signIn(page, testInfo);
  await visit(page, '/admin/users', testInfo);
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('角色').first().selectOption({ label: '编辑' });
  await page.getByLabel('初始密码').fill('first-password-1');
  await page.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已创建' })).toBeVisible();

  const context = await browser.newContext({ javaScriptEnabled: isHydrated(testInfo) });
  const own = await context.newPage();
  await signIn(own, testInfo, name, 'first-password-1');
  await own.getByRole('navigation', { name: '管理菜单' }).getByRole('link', { name: '我的账号' }).click();
  await own.getByLabel('当前密码').fill('wrong-password-1');
  await own.getByLabel('新密码', { exact: true }).fill('second-password-2');
  await own.getByLabel('再次输入新密码').fill('second-password-2');
  await own.getByRole('button', { name: '修改密码' }).click();
  await expect(own.getByRole('alert')).toHaveText('当前密码不正确');
  await own.getByLabel('当前密码').fill('first-password-1');
  await own.getByLabel('新密码', { exact: true }).fill('second-password-2');
  await own.getByLabel('再次输入新密码').fill('second-password-2');
  await own.getByRole('button', { name: '修改密码' }).click();
  await expect(own.getByRole('status').filter({ hasText: '密码已修改' })).toBeVisible();
  await context.close();

  const fresh = await browser.newContext({ javaScriptEnabled: isHydrated(testInfo) });
  await signIn(await fresh.newPage(), testInfo, name, 'second-password-2');
  await fresh.close();
});
