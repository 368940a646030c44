// The body's document model: exactly the elements and attributes the server's allow-list
// (src/server/editorial/sanitize.rs) keeps, so what an editor sees is what visitors get.
// Other spellings of the same things (b, i, del, h1, a td without a paragraph) are read and
// written back in one spelling; anything else is dropped on the way in, as the server would.
import { DOMParser, DOMSerializer, Schema } from 'prosemirror-model';
import { tableNodes } from 'prosemirror-tables';

// The classes a figure may carry (`FIGURE_ALIGNMENTS` on the server), by alignment.
export const ALIGNMENTS = { left: '靠左', center: '居中', right: '靠右' };

// ammonia adds this to every link it keeps; the editor writes it too, so a saved body
// reads back unchanged.
const LINK_REL = 'noopener noreferrer';

const attribute = (dom, name) => dom.getAttribute(name) || null;

const nodes = {
  doc: { content: 'block+' },
  paragraph: {
    group: 'block',
    content: 'inline*',
    parseDOM: [{ tag: 'p' }],
    toDOM: () => ['p', 0],
  },
  heading: {
    group: 'block',
    content: 'inline*',
    attrs: { level: { default: 2 } },
    defining: true,
    parseDOM: [
      { tag: 'h1', attrs: { level: 2 } },
      { tag: 'h2', attrs: { level: 2 } },
      { tag: 'h3', attrs: { level: 3 } },
      { tag: 'h4', attrs: { level: 4 } },
      { tag: 'h5', attrs: { level: 4 } },
      { tag: 'h6', attrs: { level: 4 } },
    ],
    toDOM: (node) => [`h${node.attrs.level}`, 0],
  },
  blockquote: {
    group: 'block',
    content: 'block+',
    defining: true,
    parseDOM: [{ tag: 'blockquote' }],
    toDOM: () => ['blockquote', 0],
  },
  horizontal_rule: {
    group: 'block',
    parseDOM: [{ tag: 'hr' }],
    toDOM: () => ['hr'],
  },
  code_block: {
    group: 'block',
    content: 'text*',
    marks: '',
    code: true,
    defining: true,
    parseDOM: [{ tag: 'pre', preserveWhitespace: 'full' }],
    toDOM: () => ['pre', ['code', 0]],
  },
  ordered_list: {
    group: 'block',
    content: 'list_item+',
    attrs: { order: { default: 1 } },
    parseDOM: [
      {
        tag: 'ol',
        getAttrs: (dom) => ({ order: Number.parseInt(dom.getAttribute('start') || '1', 10) || 1 }),
      },
    ],
    toDOM: (node) => (node.attrs.order === 1 ? ['ol', 0] : ['ol', { start: node.attrs.order }, 0]),
  },
  bullet_list: {
    group: 'block',
    content: 'list_item+',
    parseDOM: [{ tag: 'ul' }],
    toDOM: () => ['ul', 0],
  },
  list_item: {
    content: 'paragraph block*',
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: () => ['li', 0],
  },
  // A picture with a caption and an alignment: one unit, edited with the toolbar.
  figure: {
    group: 'block',
    atom: true,
    draggable: true,
    attrs: {
      src: {},
      alt: { default: '' },
      width: { default: null },
      height: { default: null },
      caption: { default: '' },
      align: { default: '' },
    },
    parseDOM: [
      {
        tag: 'figure',
        getAttrs(dom) {
          // Only a picture and its caption make a figure; anything more is read as
          // ordinary content, so that none of it is lost.
          const parts = [...dom.children];
          const image = parts.find((part) => part.tagName === 'IMG' && part.getAttribute('src'));
          const caption = parts.find((part) => part.tagName === 'FIGCAPTION');
          const known = parts.every((part) => part === image || part === caption);
          const loose = [...dom.childNodes].some(
            (child) => child.nodeType === 3 && child.textContent.trim() !== '',
          );
          if (!image || !known || loose) return false;
          const align = Object.keys(ALIGNMENTS).find((name) =>
            dom.classList.contains(`align-${name}`),
          );
          return {
            src: image.getAttribute('src'),
            alt: image.getAttribute('alt') || '',
            width: attribute(image, 'width'),
            height: attribute(image, 'height'),
            caption: caption ? caption.textContent.trim() : '',
            align: align || '',
          };
        },
      },
    ],
    toDOM(node) {
      const { src, alt, width, height, caption, align } = node.attrs;
      const figure = ['figure', align ? { class: `align-${align}` } : {}, ['img', imageAttrs({ src, alt, width, height })]];
      if (caption) figure.push(['figcaption', caption]);
      return figure;
    },
  },
  ...tableNodes({ tableGroup: 'block', cellContent: 'block+', cellAttributes: {} }),
  text: { group: 'inline' },
  image: {
    inline: true,
    group: 'inline',
    draggable: true,
    attrs: { src: {}, alt: { default: '' }, width: { default: null }, height: { default: null } },
    parseDOM: [
      {
        tag: 'img[src]',
        getAttrs: (dom) => ({
          src: dom.getAttribute('src'),
          alt: dom.getAttribute('alt') || '',
          width: attribute(dom, 'width'),
          height: attribute(dom, 'height'),
        }),
      },
    ],
    toDOM: (node) => ['img', imageAttrs(node.attrs)],
  },
  hard_break: {
    inline: true,
    group: 'inline',
    selectable: false,
    parseDOM: [{ tag: 'br' }],
    toDOM: () => ['br'],
  },
};

function imageAttrs({ src, alt, width, height }) {
  const attrs = { src, alt };
  if (width) attrs.width = width;
  if (height) attrs.height = height;
  return attrs;
}

const marks = {
  link: {
    attrs: { href: {}, title: { default: null } },
    inclusive: false,
    parseDOM: [
      {
        tag: 'a[href]',
        getAttrs: (dom) => ({ href: dom.getAttribute('href'), title: attribute(dom, 'title') }),
      },
    ],
    toDOM(mark) {
      const { href, title } = mark.attrs;
      return ['a', title ? { href, title, rel: LINK_REL } : { href, rel: LINK_REL }, 0];
    },
  },
  strong: { parseDOM: [{ tag: 'strong' }, { tag: 'b' }], toDOM: () => ['strong', 0] },
  em: { parseDOM: [{ tag: 'em' }, { tag: 'i' }], toDOM: () => ['em', 0] },
  underline: { parseDOM: [{ tag: 'u' }], toDOM: () => ['u', 0] },
  strike: { parseDOM: [{ tag: 's' }, { tag: 'del' }, { tag: 'strike' }], toDOM: () => ['s', 0] },
  sub: { excludes: 'sup', parseDOM: [{ tag: 'sub' }], toDOM: () => ['sub', 0] },
  sup: { excludes: 'sub', parseDOM: [{ tag: 'sup' }], toDOM: () => ['sup', 0] },
  code: { parseDOM: [{ tag: 'code' }], toDOM: () => ['code', 0] },
};

export const schema = new Schema({ nodes, marks });

const parser = DOMParser.fromSchema(schema);
const serializer = DOMSerializer.fromSchema(schema);

/** The document an HTML body holds. */
export function parseHTML(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  return parser.parse(template.content);
}

/** A document as the HTML the form sends; an empty body is sent empty. */
export function toHTML(doc) {
  if (doc.childCount === 1 && doc.firstChild.type === schema.nodes.paragraph && doc.firstChild.content.size === 0) {
    return '';
  }
  const holder = document.createElement('div');
  holder.append(serializer.serializeFragment(doc.content));
  return holder.innerHTML;
}
