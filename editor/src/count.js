// The body's length as editors count it: 字数 as Chinese word processors give it (each
// Chinese character or full-width mark one, each run of Latin letters or digits one word),
// characters without spaces, and the HTML the server measures against its limit.

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const WORD = /[\p{L}\p{N}]/u;

/** `{ words, characters }` of plain text. */
export function countText(text) {
  let words = 0;
  let characters = 0;
  let inWord = false;
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      inWord = false;
      continue;
    }
    characters += 1;
    if (CJK.test(ch)) {
      words += 1;
      inWord = false;
    } else if (WORD.test(ch)) {
      if (!inWord) words += 1;
      inWord = true;
    } else {
      inWord = false;
    }
  }
  return { words, characters };
}

const number = (n) => n.toLocaleString('zh-CN');

/** The counter's line for a document whose HTML is `htmlLength` long, against `limit`. */
export function describe(doc, htmlLength, limit) {
  const { words, characters } = countText(doc.textBetween(0, doc.content.size, '\n', ' '));
  const line = `字数 ${number(words)} · 字符 ${number(characters)}(不含空格)· 篇幅 ${number(htmlLength)} / ${number(limit)}`;
  return htmlLength > limit ? `${line}:超出上限,保存会被拒绝,请删减或分篇` : line;
}
