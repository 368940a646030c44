import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VNU_JAR: string = String(require('vnu-jar'));

const PAGES: [string, string][] = [
  ['home', '/'],
  ['category', '/category/news'],
  ['article', '/article/1'],
  ['search', '/search?q=%E6%94%BF%E7%AD%96'],
  ['not-found', '/article/999999'],
  ['sign-in', '/admin/login'],
];

interface Message {
  type: string;
  url?: string;
  message: string;
  extract?: string;
}

/**
 * Leptos' own hydration markers: the `<!>` comments it writes between text nodes so that
 * the browser keeps them apart when it hydrates. Browsers read them as empty comments; the
 * checker calls them bogus. They are the only errors allowed.
 */
function isHydrationMarker(message: Message): boolean {
  return /^Bogus comment/.test(message.message) && (message.extract ?? '').includes('<!>');
}

test('pages are valid HTML to the Nu checker', async ({ request }, testInfo) => {
  test.skip(testInfo.project.name !== 'hydrated', 'the same HTML either way; checked once');
  test.setTimeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'gazette-vnu-'));
  const files = [];
  for (const [name, path] of PAGES) {
    const response = await request.get(path);
    const file = join(folder, `${name}.html`);
    writeFileSync(file, await response.text());
    files.push(file);
  }
  const checked = spawnSync('java', ['-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', ...files], {
    encoding: 'utf8',
  });
  // The report is JSON on standard error.
  const report: { messages: Message[] } = JSON.parse(checked.stderr);
  const errors = report.messages
    .filter((message) => message.type === 'error' && !isHydrationMarker(message))
    .map((message) => `${basename(message.url ?? '')}: ${message.message} ${message.extract ?? ''}`);
  expect(errors).toEqual([]);
});
