// The toolbar and keyboard shortcuts: what each button does, and when it applies.
import { lift, setBlockType, toggleMark, wrapIn } from 'prosemirror-commands';
import { redo, undo } from 'prosemirror-history';
import { NodeSelection, TextSelection } from 'prosemirror-state';
import { wrapInList } from 'prosemirror-schema-list';
import {
  addColumnAfter,
  addRowAfter,
  deleteColumn,
  deleteRow,
  deleteTable,
  isInTable,
  selectionCell,
} from 'prosemirror-tables';
import { ALIGNMENTS, schema } from './schema.js';

const { nodes, marks } = schema;

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return Boolean(type.isInSet(state.storedMarks || $from.marks()));
  return state.doc.rangeHasMark(from, to, type);
}

function blockActive(state, type, attrs = {}) {
  const { $from } = state.selection;
  const parent = $from.parent;
  return parent.type === type && Object.entries(attrs).every(([k, v]) => parent.attrs[k] === v);
}

/** The picture the selection is on, inline or in a figure. */
function selectedPicture(state) {
  const { selection } = state;
  if (!(selection instanceof NodeSelection)) return null;
  const { node } = selection;
  return node.type === nodes.image || node.type === nodes.figure ? selection : null;
}

/** Changes the selected picture; an inline picture becomes a figure to carry a caption or
 * an alignment. The picture stays selected, for the next change. */
function changePicture(change) {
  return (state, dispatch) => {
    const selection = selectedPicture(state);
    if (!selection) return false;
    if (!dispatch) return true;
    const { node, from } = selection;
    const changed = change(node.attrs);
    if (!Object.keys(changed).length) return true;
    const attrs = { ...node.attrs, ...changed };
    if (node.type === nodes.image && ('caption' in changed || 'align' in changed)) {
      const figure = nodes.figure.create(attrs);
      const tr = state.tr.replaceSelectionWith(figure);
      const at = positionOf(tr.doc, figure);
      if (at !== null) tr.setSelection(NodeSelection.create(tr.doc, at));
      dispatch(tr.scrollIntoView());
    } else {
      const tr = state.tr.setNodeMarkup(from, null, attrs);
      dispatch(tr.setSelection(NodeSelection.create(tr.doc, from)).scrollIntoView());
    }
    return true;
  };
}

/** Where `node` (just inserted, so the very object) is in `doc`. */
function positionOf(doc, node) {
  let at = null;
  doc.descendants((child, pos) => {
    if (child === node) at = pos;
    return at === null;
  });
  return at;
}

function askCaption(attrs) {
  const caption = window.prompt('图片说明(显示在图片下方;留空则不显示)', attrs.caption || '');
  return caption === null ? {} : { caption: caption.trim() };
}

function askAlt(attrs) {
  const alt = window.prompt('替代文字(图片无法显示或用读屏软件时读出)', attrs.alt || '');
  return alt === null ? {} : { alt: alt.trim() };
}

function link(state, dispatch) {
  const type = marks.link;
  if (markActive(state, type)) {
    if (dispatch) {
      const { from, to, $from } = state.selection;
      const [start, end] = state.selection.empty ? linkAround($from, type) : [from, to];
      dispatch(state.tr.removeMark(start, end, type));
    }
    return true;
  }
  if (!dispatch) return true;
  const href = (window.prompt('链接地址(以 http:// 或 https:// 开头)', 'https://') || '').trim();
  if (!/^(https?:\/\/.|mailto:.|\/)/i.test(href)) return true;
  const mark = type.create({ href });
  if (state.selection.empty) {
    dispatch(state.tr.replaceSelectionWith(schema.text(href, [mark]), false));
  } else {
    dispatch(state.tr.addMark(state.selection.from, state.selection.to, mark));
  }
  return true;
}

function linkAround($pos, type) {
  let start = $pos.index();
  let end = $pos.indexAfter();
  const parent = $pos.parent;
  while (start > 0 && type.isInSet(parent.child(start - 1).marks)) start -= 1;
  while (end < parent.childCount && type.isInSet(parent.child(end).marks)) end += 1;
  let from = $pos.start();
  for (let i = 0; i < start; i += 1) from += parent.child(i).nodeSize;
  let to = from;
  for (let i = start; i < end; i += 1) to += parent.child(i).nodeSize;
  return [from, to];
}

function insertTable(state, dispatch) {
  if (isInTable(state)) return false;
  if (dispatch) {
    const cell = (type) => type.createAndFill();
    const row = (type) => nodes.table_row.create(null, [cell(type), cell(type), cell(type)]);
    const table = nodes.table.create(null, [row(nodes.table_header), row(nodes.table_cell), row(nodes.table_cell)]);
    const tr = state.tr.replaceSelectionWith(table);
    // Into the first cell, to type the heading: table, row, cell, paragraph.
    const at = positionOf(tr.doc, table);
    if (at !== null) tr.setSelection(TextSelection.near(tr.doc.resolve(at + 4)));
    dispatch(tr.scrollIntoView());
  }
  return true;
}

/** Makes the table's first row its header, or an ordinary row again. */
function toggleHeaderRow(state, dispatch) {
  if (!isInTable(state)) return false;
  if (dispatch) {
    const $cell = selectionCell(state);
    const table = $cell.node(-1);
    const rowContent = $cell.start(-1) + 1;
    const firstRow = table.firstChild;
    let isHeader = true;
    firstRow.forEach((cell) => {
      isHeader = isHeader && cell.type === nodes.table_header;
    });
    const tr = state.tr;
    firstRow.forEach((cell, offset) => {
      tr.setNodeMarkup(rowContent + offset, isHeader ? nodes.table_cell : nodes.table_header, cell.attrs);
    });
    dispatch(tr);
  }
  return true;
}

function clearFormatting(state, dispatch) {
  const { from, to, empty } = state.selection;
  if (empty) return false;
  if (dispatch) {
    const tr = state.tr;
    for (const type of Object.values(marks)) tr.removeMark(from, to, type);
    dispatch(tr);
  }
  return true;
}

// [label, shortcut, command, active?] by group; a null command is handled by the caller.
export function toolGroups(actions) {
  return [
    [
      ['撤销', 'Mod-z', undo],
      ['重做', 'Mod-y', redo],
    ],
    [
      ['段落', 'Mod-Alt-0', setBlockType(nodes.paragraph), (s) => blockActive(s, nodes.paragraph)],
      ['标题', 'Mod-Alt-2', setBlockType(nodes.heading, { level: 2 }), (s) => blockActive(s, nodes.heading, { level: 2 })],
      ['小标题', 'Mod-Alt-3', setBlockType(nodes.heading, { level: 3 }), (s) => blockActive(s, nodes.heading, { level: 3 })],
    ],
    [
      ['粗体', 'Mod-b', toggleMark(marks.strong), (s) => markActive(s, marks.strong)],
      ['斜体', 'Mod-i', toggleMark(marks.em), (s) => markActive(s, marks.em)],
      ['下划线', 'Mod-u', toggleMark(marks.underline), (s) => markActive(s, marks.underline)],
      ['删除线', 'Mod-Shift-x', toggleMark(marks.strike), (s) => markActive(s, marks.strike)],
      ['链接', 'Mod-k', link, (s) => markActive(s, marks.link)],
      ['清除格式', null, clearFormatting],
    ],
    [
      ['项目列表', 'Mod-Shift-8', wrapInList(nodes.bullet_list)],
      ['编号列表', 'Mod-Shift-7', wrapInList(nodes.ordered_list)],
      ['引用', 'Mod-Shift-.', wrapIn(nodes.blockquote)],
      ['取消缩进', null, lift],
    ],
    [
      ['图片', null, actions.pickImage],
      ['附件', null, actions.pickFile],
      ...Object.entries(ALIGNMENTS).map(([align, label]) => [
        `图片${label}`,
        null,
        changePicture(() => ({ align })),
        (s) => selectedPicture(s)?.node.attrs.align === align,
      ]),
      ['图片说明', null, changePicture(askCaption)],
      ['替代文字', null, changePicture(askAlt)],
    ],
    [
      ['插入表格', null, insertTable],
      ['加一行', null, addRowAfter],
      ['加一列', null, addColumnAfter],
      ['删除行', null, deleteRow],
      ['删除列', null, deleteColumn],
      ['表头行', null, toggleHeaderRow],
      ['删除表格', null, deleteTable],
    ],
    [['全屏', 'Mod-Shift-f', actions.fullScreen, actions.isFullScreen]],
  ];
}

const SHORTCUT_NAMES = { Mod: 'Ctrl', Alt: 'Alt', Shift: 'Shift' };

/** The toolbar, kept in step with the selection by `update(state)`. */
export function buildToolbar(view, groups) {
  const toolbar = document.createElement('div');
  toolbar.className = 'editor-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', '正文格式');
  const buttons = [];
  for (const group of groups) {
    const box = document.createElement('span');
    box.className = 'editor-tools';
    for (const [label, shortcut, command, active] of group) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      if (shortcut) {
        const keys = shortcut.split('-').map((key) => SHORTCUT_NAMES[key] || key.toUpperCase()).join('+');
        button.title = `${label}(${keys})`;
        button.setAttribute('aria-keyshortcuts', keys.replace('Ctrl', 'Control'));
      }
      // Keeps the selection in the text while the button is pressed.
      button.addEventListener('mousedown', (event) => event.preventDefault());
      button.addEventListener('click', () => {
        command(view.state, view.dispatch, view);
        update(view.state);
        view.focus();
      });
      box.append(button);
      buttons.push({ button, command, active });
    }
    toolbar.append(box);
  }
  function update(state) {
    for (const { button, command, active } of buttons) {
      button.disabled = !command(state, undefined, view);
      if (active) button.setAttribute('aria-pressed', String(Boolean(active(state))));
    }
  }
  return { element: toolbar, update };
}

/** The shortcuts of `groups` as a keymap; Escape leaves full screen. */
export function shortcuts(groups, exitFullScreen) {
  const keys = {};
  for (const group of groups) {
    for (const [, shortcut, command] of group) {
      if (shortcut) keys[shortcut] = command;
    }
  }
  keys['Mod-Shift-z'] = redo;
  keys.Escape = () => exitFullScreen();
  return keys;
}
