import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, articleId, createUser, fillArticle, signIn, unique } from './admin';
import { isHydrated, visit } from './site';

// The rich body editor exists only where JavaScript runs; without it the plain text area is
// the editor (editors.spec covers that).
test.beforeEach(({}, testInfo) => {
  test.skip(!isHydrated(testInfo), 'the rich editor needs JavaScript');
});

const body = (page: Page) => page.getByRole('textbox', { name: '正文' });
const tool = (page: Page, name: string) =>
  page.getByRole('toolbar', { name: '正文格式' }).getByRole('button', { name, exact: true });

/** A PNG of `width`×`height` drawn in the page, as bytes in base64. */
async function pngBase64(page: Page, width = 24, height = 16): Promise<string> {
  return page.evaluate(async ([width, height]) => {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#c33';
    context.fillRect(0, 0, width, height);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    return btoa(String.fromCharCode(...bytes));
  }, [width, height]);
}

/** Pastes into the body as the browser does: a paste event carrying `files` and `data`. */
async function paste(page: Page, data: Record<string, string>, files: { name: string; type: string; base64: string }[] = []) {
  await body(page).evaluate(
    (element, [data, files]) => {
      const transfer = new DataTransfer();
      for (const [type, value] of Object.entries(data)) transfer.setData(type, value);
      for (const file of files) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    },
    [data, files] as const,
  );
}

async function newArticle(page: Page, testInfo: Parameters<typeof visit>[2]) {
  await signIn(page, testInfo);
  await visit(page, '/admin/articles/new', testInfo);
  await expect(tool(page, '粗体')).toBeVisible();
}

/** The body as the server stored it. */
async function storedBody(page: Page, id: string): Promise<string> {
  const response = await page.request.get(`/api/admin/article?id=${id}`);
  expect(response.ok()).toBe(true);
  return (await response.json()).article.form.body;
}

test('Chinese typed through an input method arrives whole', async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  await page.getByLabel('标题', { exact: true }).fill(unique(testInfo, '输入法'));
  await page.getByLabel('栏目').selectOption({ label: '会员风采' });
  await body(page).click();
  const cdp = await page.context().newCDPSession(page);
  // Pinyin being composed, then the characters chosen, as an IME sends them.
  for (const text of ['h', 'hui', 'huiyuan']) {
    await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  }
  await cdp.send('Input.insertText', { text: '会员' });
  await cdp.send('Input.imeSetComposition', { text: 'dan', selectionStart: 3, selectionEnd: 3 });
  await cdp.send('Input.insertText', { text: '单位' });
  await page.keyboard.type('。');
  await expect(body(page)).toHaveText('会员单位。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  expect(await storedBody(page, articleId(page))).toBe('<p>会员单位。</p>');
});

test('a pasted screenshot is uploaded in place and shown on the public page', async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  const title = unique(testInfo, '截图');
  await fillArticle(page, title, '图前。');
  await page.keyboard.press('End');
  await paste(page, {}, [{ name: 'image.png', type: 'image/png', base64: await pngBase64(page) }]);
  const picture = body(page).getByRole('img');
  await expect(picture).toHaveAttribute('src', /^\/uploads\/[0-9a-f]{32}\.png$/);
  await expect(page.getByRole('status').filter({ hasText: '已插入图片' })).toBeVisible();
  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发布' })).toBeVisible();
  await visit(page, `/article/${articleId(page)}`, testInfo);
  const shown = page.getByRole('article').getByRole('img');
  await expect(shown).toHaveAttribute('src', /^\/uploads\//);
  await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);
});

test('a picture gets a caption and an alignment, and visitors see both', async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  await fillArticle(page, unique(testInfo, '图片说明'), '会场。');
  await page.keyboard.press('End');
  await paste(page, {}, [{ name: '会场.png', type: 'image/png', base64: await pngBase64(page) }]);
  const picture = body(page).getByRole('img', { name: '会场' });
  await expect(picture).toHaveAttribute('src', /^\/uploads\//);
  await picture.click();
  await tool(page, '图片靠右').click();
  await expect(tool(page, '图片靠右')).toHaveAttribute('aria-pressed', 'true');
  page.once('dialog', (dialog) => dialog.accept('年会现场'));
  await tool(page, '图片说明').click();
  await expect(body(page).getByRole('figure')).toContainText('年会现场');
  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发布' })).toBeVisible();
  expect(await storedBody(page, articleId(page))).toMatch(
    /<figure class="align-right"><img src="\/uploads\/[0-9a-f]{32}\.png" alt="会场"><figcaption>年会现场<\/figcaption><\/figure>/,
  );
  await visit(page, `/article/${articleId(page)}`, testInfo);
  const figure = page.getByRole('article').getByRole('figure', { name: '年会现场' });
  await expect(figure).toBeVisible();
  expect(await figure.evaluate((element) => getComputedStyle(element).float)).toBe('right');
});

test('dropped files are uploaded where they fall: a picture shown, a PDF linked', async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  await fillArticle(page, unique(testInfo, '拖入'), '拖入文件。');
  const box = (await body(page).boundingBox())!;
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
  await body(page).evaluate(
    (element, [files, x, y]) => {
      const transfer = new DataTransfer();
      for (const file of files) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      const at = { clientX: x, clientY: y, bubbles: true, cancelable: true, dataTransfer: transfer };
      element.dispatchEvent(new DragEvent('dragover', at));
      element.dispatchEvent(new DragEvent('drop', at));
    },
    [
      [
        { name: '现场照片.png', type: 'image/png', base64: await pngBase64(page) },
        { name: '通知原文.pdf', type: 'application/pdf', base64: pdf },
      ],
      box.x + 40,
      box.y + 12,
    ] as const,
  );
  await expect(body(page).getByRole('img', { name: '现场照片' })).toHaveAttribute('src', /^\/uploads\/.+\.png$/);
  await expect(body(page).getByRole('link', { name: '通知原文.pdf' })).toHaveAttribute('href', /^\/uploads\/.+\.pdf$/);
});

test('an upload the server refuses says why and leaves the text as it was', async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  await fillArticle(page, unique(testInfo, '拒绝'), '原有的文字。');
  const text = Buffer.from('not a picture at all').toString('base64');
  await paste(page, {}, [{ name: '假图片.png', type: 'image/png', base64: text }]);
  await expect(page.getByRole('status').filter({ hasText: '假图片.png 没有上传' })).toContainText('不支持的文件类型');
  await expect(body(page)).toHaveText('原有的文字。');
});

test.describe('pictures of pasted HTML on another site', () => {
  let server: Server;
  let origin: string;
  let png: Buffer;
  test.beforeAll(async () => {
    // A 2×2 PNG, as another site (a WeChat image server) would serve it.
    png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4Y2wMRAwQCgAj6gTJ2R4cRwAAAABJRU5ErkJggg==',
      'base64',
    );
    server = createServer((request, response) => {
      if (request.url?.startsWith('/mmbiz_png/')) {
        response.writeHead(200, { 'Content-Type': 'image/png' });
        response.end(png);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('are copied into the uploads; one that cannot be is named', async ({ page }, testInfo) => {
    await newArticle(page, testInfo);
    await fillArticle(page, unique(testInfo, '微信文章'), '');
    const html =
      `<section style="margin:0 auto"><p><span style="font-size:15px">公众号正文</span></p>` +
      `<p><img data-src="x" src="${origin}/mmbiz_png/abc/640?wx_fmt=png&amp;from=appmsg" alt="活动现场"></p>` +
      `<p><img src="${origin}/gone.png" alt="已删除"></p></section>`;
    await paste(page, { 'text/html': html, 'text/plain': '公众号正文' });
    await expect(body(page)).toContainText('公众号正文');
    await expect(body(page).getByRole('img', { name: '活动现场' })).toHaveAttribute('src', /^\/uploads\/.+\.png$/);
    await expect(page.getByRole('status').filter({ hasText: '没有复制到本站' })).toContainText(
      `图片 ${origin}/gone.png 没有复制到本站:对方网站答复 404`,
    );
    await expect(body(page).getByRole('img', { name: '已删除' })).toHaveAttribute('src', `${origin}/gone.png`);
    // The upload remembers where the picture came from.
    await visit(page, '/admin/uploads', testInfo);
    await expect(page.getByText(`复制自 ${origin}/mmbiz_png/abc/640?wx_fmt=png&from=appmsg`).first()).toBeVisible();
  });
});

test('a table pasted from Word can be edited: a row added', async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  const title = unique(testInfo, '表格');
  await fillArticle(page, title, '');
  const word =
    `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><!--StartFragment-->` +
    `<table class=MsoTableGrid border=1><tr><td width=100 style='border:solid'><p class=MsoNormal><b>单位</b></p></td>` +
    `<td><p class=MsoNormal><b>人数</b></p></td></tr><tr><td><p class=MsoNormal>协会</p></td><td><p class=MsoNormal>12</p></td></tr></table>` +
    `<!--EndFragment--></body></html>`;
  await paste(page, { 'text/html': word, 'text/plain': '单位\t人数\n协会\t12' });
  const table = body(page).getByRole('table');
  await expect(table.getByRole('row')).toHaveCount(2);
  await table.getByText('协会').click();
  await tool(page, '加一行').click();
  await expect(table.getByRole('row')).toHaveCount(3);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.type('商会');
  await tool(page, '表头行').click();
  await expect(table.getByRole('columnheader', { name: '单位' })).toBeVisible();
  await page.getByRole('button', { name: '发布' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发布' })).toBeVisible();
  await visit(page, `/article/${articleId(page)}`, testInfo);
  await expect(page.getByRole('article').getByRole('row')).toHaveCount(3);
  await expect(page.getByRole('article').getByRole('cell', { name: '商会' })).toBeVisible();
  await expect(page.getByRole('article').getByRole('columnheader', { name: '人数' })).toBeVisible();
});

test('undo and redo, by button and by keyboard; the counter counts Chinese characters', async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  await body(page).click();
  await page.keyboard.type('协会简介');
  await expect(page.getByText(/字数 4 · 字符 4/)).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.type('Gazette 2026');
  await expect(page.getByText(/字数 6 · 字符 15/)).toBeVisible();
  await tool(page, '撤销').click();
  await expect(body(page)).not.toContainText('Gazette');
  await tool(page, '重做').click();
  await expect(body(page)).toContainText('Gazette 2026');
  await page.keyboard.press('Control+z');
  await expect(body(page)).not.toContainText('Gazette');
  await page.keyboard.press('Control+y');
  await expect(body(page)).toContainText('Gazette 2026');
  // Full screen, and Escape leaves it.
  await tool(page, '全屏').click();
  await expect(tool(page, '全屏')).toHaveAttribute('aria-pressed', 'true');
  await body(page).press('Escape');
  await expect(tool(page, '全屏')).toHaveAttribute('aria-pressed', 'false');
});

test('after a closed tab, what was typed is offered back', async ({ browser }, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await newArticle(page, testInfo);
  const title = unique(testInfo, '未保存的稿子');
  await fillArticle(page, title, '关掉页面之前写的正文。');
  await page.waitForTimeout(1000);
  await page.close();

  const again = await context.newPage();
  await visit(again, '/admin/articles/new', testInfo);
  const offer = again.getByRole('alert').filter({ hasText: '没有保存的内容' });
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: '恢复未保存的内容' }).click();
  await expect(again.getByLabel('标题', { exact: true })).toHaveValue(title);
  await expect(body(again)).toHaveText('关掉页面之前写的正文。');
  await again.getByRole('button', { name: '保存草稿' }).click();
  await expect(again.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  // Saved: nothing is offered any more.
  await visit(again, '/admin/articles/new', testInfo);
  await expect(tool(again, '粗体')).toBeVisible();
  await expect(again.getByRole('alert')).toHaveCount(0);
  await context.close();
});

test('an autosave is no save: another editor saves freely, the conflict rule holds', async ({ browser, page }, testInfo) => {
  // Two sign-ins and a new user: three password hashes, as in the editors' tests.
  test.slow();
  await page.addInitScript(() => ((window as any).GAZETTE_AUTOSAVE_MS = 300));
  await signIn(page, testInfo);
  const second = unique(testInfo, 'editor2');
  await createUser(page, testInfo, second, '编辑', 'second-editor-password');
  await visit(page, '/admin/articles/new', testInfo);
  const title = unique(testInfo, '自动保存');
  await fillArticle(page, title, '第一版正文。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText(/第 1 版/)).toBeVisible();
  const id = articleId(page);
  await body(page).click();
  await page.keyboard.press('End');
  await page.keyboard.type('甲接着写的内容。');
  await expect(page.getByRole('status').filter({ hasText: '自动保存' })).toContainText('尚未保存为新版本');
  await expect(page.getByText(/第 1 版/)).toBeVisible();

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, testInfo, second, 'second-editor-password');
  await visit(otherPage, `/admin/articles/${id}`, testInfo);
  await expect(body(otherPage)).toHaveText('第一版正文。');
  await body(otherPage).fill('乙改写的正文。');
  await otherPage.getByRole('button', { name: '保存草稿' }).click();
  await expect(otherPage.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await expect(otherPage.getByText(/第 2 版/)).toBeVisible();
  await other.close();

  // The first editor's form still holds version 1: saving it is refused, naming who saved,
  // and what was typed stays.
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('alert')).toContainText(`${second} 在`);
  await expect(body(page)).toContainText('甲接着写的内容。');
  // Opened again, the form offers the autosave, saying someone saved since.
  await visit(page, `/admin/articles/${id}`, testInfo);
  const note = page.getByRole('note').filter({ hasText: '自动保存' });
  await expect(note).toContainText(second);
  await note.getByRole('link', { name: '填入自动保存的内容' }).click();
  await expect(body(page)).toContainText('甲接着写的内容。');
  expect(await storedBody(page, id)).toBe('<p>乙改写的正文。</p>');
});

test('signed out while writing: the save says so, and after signing in again it goes through', async ({ page, context }, testInfo) => {
  await newArticle(page, testInfo);
  const title = unique(testInfo, '登录过期');
  await fillArticle(page, title, '登录过期前写好的正文。');
  await context.clearCookies();
  await page.getByRole('button', { name: '保存草稿' }).click();
  const alert = page.getByRole('alert').filter({ hasText: '登录已过期' });
  await expect(alert).toBeVisible();
  const [login] = await Promise.all([
    page.waitForEvent('popup'),
    alert.getByRole('link', { name: '在新窗口重新登录' }).click(),
  ]);
  await login.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
  await login.getByLabel('用户名').fill(ADMIN.name);
  await login.getByLabel('密码').fill(ADMIN.password);
  await login.getByRole('button', { name: '登录' }).click();
  await expect(login.getByRole('navigation', { name: '管理菜单' })).toBeVisible();
  await login.close();
  await expect(body(page)).toHaveText('登录过期前写好的正文。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  expect(await storedBody(page, articleId(page))).toBe('<p>登录过期前写好的正文。</p>');
});

test("the editor's document model and the server's allow-list agree", async ({ page }, testInfo) => {
  await newArticle(page, testInfo);
  await page.getByLabel('标题', { exact: true }).fill(unique(testInfo, '白名单'));
  await page.getByLabel('栏目').selectOption({ label: '会员风采' });
  // Every element and attribute the server keeps, in the one spelling the editor writes.
  const canonical =
    '<h2>标题二</h2><h3>标题三</h3><h4>标题四</h4>' +
    '<p>正文<strong>粗</strong><em>斜</em><u>下划线</u><s>删除</s>H<sub>2</sub>O x<sup>2</sup><code>代码</code><br>换行' +
    '<a href="https://www.sz.gov.cn/" title="政府网站" rel="noopener noreferrer">链接</a></p>' +
    '<ul><li><p>项目</p></li></ul><ol start="3"><li><p>第三项</p></li></ol>' +
    '<blockquote><p>引用</p></blockquote><hr><pre><code>代码块</code></pre>' +
    '<p><img src="/uploads/a.png" alt="图一" width="80" height="60"></p>' +
    '<figure class="align-right"><img src="/uploads/b.png" alt="图二"><figcaption>图片说明</figcaption></figure>' +
    '<figure><img src="/uploads/c.png" alt="图三"></figure>' +
    '<table><tbody><tr><th><p>表头</p></th><th colspan="2"><p>合并</p></th></tr>' +
    '<tr><td><p>一</p></td><td><p>二</p></td><td><p>三</p></td></tr></tbody></table>';
  // Other spellings the server keeps, which the editor reads as the same things.
  const spellings =
    '<p><b>粗</b><i>斜</i></p><ul><li>无段落的项目</li></ul><table><thead><tr><th>甲</th></tr></thead><tbody><tr><td>乙</td></tr></tbody></table>';
  const normalise = (html: string) =>
    page.evaluate((html) => {
      const template = document.createElement('template');
      template.innerHTML = html;
      const walk = (node: Node): string => {
        if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
        if (!(node instanceof Element)) return '';
        const attributes = [...node.attributes].map((a) => `${a.name}="${a.value}"`).sort().join(' ');
        return `<${node.localName}${attributes ? ' ' + attributes : ''}>${[...node.childNodes].map(walk).join('')}</${node.localName}>`;
      };
      return [...template.content.childNodes].map(walk).join('');
    }, html);

  await body(page).click();
  await paste(page, { 'text/html': canonical, 'text/plain': '' });
  await expect(body(page)).toContainText('图片说明');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  const id = articleId(page);
  // Nothing the editor made was dropped by the server, and nothing the server keeps was
  // dropped by the editor.
  expect(await normalise(await storedBody(page, id))).toBe(await normalise(canonical));

  await body(page).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await paste(page, { 'text/html': spellings, 'text/plain': '' });
  await expect(body(page)).toContainText('无段落的项目');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText(/第 2 版/)).toBeVisible();
  expect(await normalise(await storedBody(page, id))).toBe(
    await normalise(
      '<p><strong>粗</strong><em>斜</em></p><ul><li><p>无段落的项目</p></li></ul>' +
        '<table><tbody><tr><th><p>甲</p></th></tr><tr><td><p>乙</p></td></tr></tbody></table>',
    ),
  );
});

test("visitors' pages never load the editor", async ({ page }, testInfo) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await visit(page, '/', testInfo);
  await page.getByRole('link', { name: /双城联动/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /双城联动/ })).toBeVisible();
  await visit(page, '/category/news', testInfo);
  await page.waitForLoadState('networkidle');
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((path) => path.includes('editor'))).toEqual([]);
});
