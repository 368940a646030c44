// Builds public/editor.js (the body editor, loaded by the editors' pages only) and
// public/editor.licenses.txt (the licences of everything bundled into it) from src/ and the
// packages pinned in package-lock.json. `node build.mjs --out DIR` writes them elsewhere
// (scripts/test rebuilds into a temporary folder and compares with the committed files).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : join(here, '..', 'public');
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  charset: 'utf8',
  legalComments: 'none',
  metafile: true,
  write: false,
  banner: { js: '/* Gazette body editor, built by editor/build.mjs; bundled packages and their licences: /editor.licenses.txt */' },
});

writeFileSync(join(out, 'editor.js'), result.outputFiles[0].contents);

// Every package a bundled file came from, with its version and licence text.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const sections = [...packages].sort().map((name) => {
  const folder = join(here, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(folder).find((file) => /^licen[cs]e/i.test(file));
  if (!licenceFile) throw new Error(`${name} has no licence file`);
  const text = readFileSync(join(folder, licenceFile), 'utf8').trim();
  return `${name} ${manifest.version} (${manifest.license})\n\n${text}\n`;
});
writeFileSync(
  join(out, 'editor.licenses.txt'),
  `The body editor (editor.js) bundles these packages:\n\n${sections.join('\n---\n\n')}`,
);
console.log(`editor.js: ${result.outputFiles[0].contents.length} bytes, ${packages.size} packages`);
