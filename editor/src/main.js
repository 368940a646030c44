// The body editor of the editors' area (bundled into public/editor.js, which only the
// editors' pages load). It turns each `textarea[data-rich-editor]` into a ProseMirror
// editor once the page is hydrated. The textarea stays the form field, kept in step, so the
// form submits the same way with or without this script, and the server sanitises whatever
// arrives.
import { baseKeymap, chainCommands, exitCode } from 'prosemirror-commands';
import { dropCursor } from 'prosemirror-dropcursor';
import { gapCursor } from 'prosemirror-gapcursor';
import { history } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list';
import { EditorState } from 'prosemirror-state';
import { goToNextCell, tableEditing } from 'prosemirror-tables';
import { EditorView } from 'prosemirror-view';
import { describe } from './count.js';
import { keepDrafts } from './drafts.js';
import { pendingPlugin } from './pending.js';
import { handleDrop, handlePaste, insertFiles } from './pictures.js';
import { parseHTML, schema, toHTML } from './schema.js';
import { buildToolbar, shortcuts, toolGroups } from './toolbar.js';

const IMAGE_TYPES = 'image/jpeg,image/png,image/webp,image/gif';
const FILE_TYPES = `${IMAGE_TYPES},application/pdf,.doc,.docx,.xls,.xlsx`;

/** The line under the editor: progress, results, and refusals with what to do. */
function statusLine() {
  const element = document.createElement('p');
  element.className = 'editor-status';
  element.setAttribute('role', 'status');
  const show = (text, kind) => {
    element.dataset.kind = kind;
    element.replaceChildren(text);
  };
  return {
    element,
    say: (text) => show(text, 'info'),
    warn: (text) => show(text, 'warning'),
    refuse(context, refusal) {
      if (!refusal.signedOut) {
        show(`${context}${refusal.message}`, 'error');
        return;
      }
      // The text stays here; signing in in another tab lets the next try succeed.
      const login = document.createElement('a');
      login.href = '/admin/login';
      login.target = '_blank';
      login.textContent = '在新窗口重新登录';
      show(`${context}登录已过期:请`, 'error');
      element.append(login, ',再回到本页继续;已输入的内容不会丢失。');
    },
  };
}

function filePicker(accept, onFiles) {
  const picker = document.createElement('input');
  picker.type = 'file';
  picker.accept = accept;
  picker.multiple = true;
  picker.hidden = true;
  picker.addEventListener('change', () => {
    const files = [...(picker.files || [])];
    picker.value = '';
    if (files.length) onFiles(files);
  });
  return picker;
}

// The editor of each enhanced text area, to replace when the page renders new content into
// the same element (Leptos updates a form in place after a save or a restore).
const editors = new WeakMap();

function enhance(textarea, html) {
  textarea.dataset.richEditor = 'on';
  textarea.value = html;
  const wrapper = textarea.parentElement;
  const status = statusLine();
  const counter = document.createElement('p');
  counter.className = 'editor-count';
  counter.setAttribute('aria-live', 'off');
  const limit = textarea.maxLength > 0 ? textarea.maxLength : Infinity;
  const bypass = { on: false };
  const listeners = [];
  let view;

  const imagePicker = filePicker(IMAGE_TYPES, (files) => insertFiles(view, files, status));
  const filesPicker = filePicker(FILE_TYPES, (files) => insertFiles(view, files, status));
  const pick = (picker) => (state, dispatch) => {
    if (dispatch) picker.click();
    return true;
  };
  const isFullScreen = () => wrapper.classList.contains('editor-fullscreen');
  const actions = {
    pickImage: pick(imagePicker),
    pickFile: pick(filesPicker),
    fullScreen: (state, dispatch) => {
      if (dispatch) wrapper.classList.toggle('editor-fullscreen');
      return true;
    },
    isFullScreen,
  };
  const groups = toolGroups(actions);

  const sync = () => {
    textarea.value = toHTML(view.state.doc);
  };
  let syncTimer = null;
  const afterChange = () => {
    // Serialising a long body on every key would cost; the form reads it on submit anyway.
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => {
      sync();
      counter.textContent = describe(view.state.doc, textarea.value.length, limit);
      counter.dataset.over = String(textarea.value.length > limit);
    }, 150);
    for (const listener of listeners) listener();
  };

  const state = EditorState.create({
    doc: parseHTML(html),
    plugins: [
      keymap(shortcuts(groups, () => exitFullScreen())),
      keymap({
        Enter: splitListItem(schema.nodes.list_item),
        Tab: chainCommands(goToNextCell(1), sinkListItem(schema.nodes.list_item)),
        'Shift-Tab': chainCommands(goToNextCell(-1), liftListItem(schema.nodes.list_item)),
        'Shift-Enter': chainCommands(exitCode, (state, dispatch) => {
          if (dispatch) dispatch(state.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView());
          return true;
        }),
      }),
      keymap(baseKeymap),
      history(),
      dropCursor(),
      gapCursor(),
      tableEditing(),
      pendingPlugin,
    ],
  });
  function exitFullScreen() {
    if (!isFullScreen()) return false;
    wrapper.classList.remove('editor-fullscreen');
    toolbar.update(view.state);
    return true;
  }

  const surface = document.createElement('div');
  surface.className = 'editor-surface';
  view = new EditorView(surface, {
    state,
    attributes: {
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': textarea.getAttribute('aria-label') || labelOf(textarea) || '正文',
      spellcheck: 'false',
    },
    handlePaste: (view, event) => handlePaste(view, event, status, bypass),
    handleDrop: (view, event) => handleDrop(view, event, status),
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      toolbar.update(view.state);
      if (tr.docChanged) afterChange();
    },
  });
  const toolbar = buildToolbar(view, groups);
  toolbar.update(view.state);

  sync();
  counter.textContent = describe(view.state.doc, textarea.value.length, limit);
  // Submitting reads the textarea: make sure it holds the latest content.
  if (textarea.form) textarea.form.addEventListener('submit', sync, true);

  textarea.hidden = true;
  const added = [toolbar.element, surface, counter, status.element, imagePicker, filesPicker];
  wrapper.prepend(...added);

  const editor = {
    sync,
    setBody(html) {
      const doc = parseHTML(html);
      view.dispatch(view.state.tr.replaceWith(0, view.state.doc.content.size, doc.content));
      sync();
    },
    onChange: (listener) => listeners.push(listener),
  };
  const drafts = textarea.form && keepDrafts(textarea.form, editor, status, wrapper);
  editors.set(textarea, {
    loaded: textarea.defaultValue,
    destroy() {
      clearTimeout(syncTimer);
      if (textarea.form) textarea.form.removeEventListener('submit', sync, true);
      if (drafts) drafts.stop();
      view.destroy();
      for (const element of added) element.remove();
    },
  });
}

/** The text of the label that names `textarea` (`<label for=…>`). */
function labelOf(textarea) {
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  return label ? label.textContent.trim() : '';
}

// Enhances editors that exist now or appear later (client-side navigation), but only on a
// hydrated page: before hydration, the DOM belongs to the framework. A text area the page
// has filled anew (its default value changed, or marked for enhancing again) gets a new
// editor with that content.
function scan() {
  if (!document.documentElement.hasAttribute('data-hydrated')) return;
  for (const textarea of document.querySelectorAll('textarea[data-rich-editor]')) {
    const existing = editors.get(textarea);
    if (!existing) {
      if (textarea.dataset.richEditor === '') enhance(textarea, textarea.value);
    } else if (textarea.dataset.richEditor === '' || textarea.defaultValue !== existing.loaded) {
      existing.destroy();
      enhance(textarea, textarea.defaultValue);
    }
  }
}
new MutationObserver(scan).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['data-hydrated'],
  childList: true,
  subtree: true,
});
scan();
