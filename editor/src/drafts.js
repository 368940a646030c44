// Nothing typed is lost: the whole form is kept in this browser as it changes (restored,
// when asked, after a closed tab or a crash), and a saved article's form is also sent to
// the server in the background while the editor works. Neither is a save: no revision, no
// new version, nothing published.
import { callServer } from './server.js';

const PREFIX = 'gazette:draft:';
const SUBMITTED = 'gazette:submitted';
const LOCAL_DELAY_MS = 400;
// Overridable so that tests need not wait half a minute.
const serverDelay = () => window.GAZETTE_AUTOSAVE_MS || 30_000;

/** The form's fields as typed: text by name, check boxes as true/false. */
function fieldsOf(form) {
  const fields = {};
  for (const element of form.elements) {
    if (!element.name || element.type === 'hidden' || element.type === 'submit') continue;
    fields[element.name] = element.type === 'checkbox' ? element.checked : element.value;
  }
  return fields;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

function time(ms) {
  return new Date(ms).toLocaleString('zh-CN', { hour12: false });
}

/**
 * Keeps `form` in this browser and, for a saved article, on the server. `editor` fills the
 * body (`setBody`) and makes sure the form holds it (`sync`); `status` shows what happened.
 */
export function keepDrafts(form, editor, status, wrapper) {
  const key = PREFIX + location.pathname;
  const fields = () => {
    editor.sync();
    return fieldsOf(form);
  };
  forgetSubmitted();
  const opened = fields();
  const earlier = read(key);

  let localTimer = null;
  const keepLocally = () => {
    clearTimeout(localTimer);
    localTimer = null;
    // A form replaced after a save (client-side navigation) has nothing left to keep.
    if (!form.isConnected) return;
    try {
      localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: fields() }));
    } catch {
      status.warn('浏览器的本地存储已满或被禁用,输入的内容只在保存后才保留');
    }
  };
  const autosave = wrapper.dataset.autosaveTo && serverAutosave(form, fields, status, wrapper.dataset.autosaveTo);
  let stopped = false;
  const changed = () => {
    if (stopped) return;
    if (!localTimer) localTimer = setTimeout(keepLocally, LOCAL_DELAY_MS);
    if (autosave) autosave.changed();
  };
  const submitted = () => {
    keepLocally();
    sessionStorage.setItem(SUBMITTED, key);
  };
  const leaving = () => localTimer && keepLocally();
  form.addEventListener('submit', submitted, true);
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  editor.onChange(changed);
  window.addEventListener('pagehide', leaving);
  let offer = null;
  if (earlier && earlier.fields && !same(earlier.fields, opened)) offerRestore(earlier);
  else localStorage.removeItem(key);

  function offerRestore(draft) {
    offer = document.createElement('div');
    offer.className = 'editor-restore';
    offer.setAttribute('role', 'alert');
    offer.append(`这台电脑的浏览器里有 ${time(draft.savedAt)} 输入但没有保存的内容(页面关闭或浏览器崩溃前留下的)。`);
    const restore = button('恢复未保存的内容', () => {
      for (const [name, value] of Object.entries(draft.fields)) {
        const element = form.elements.namedItem(name);
        if (!element || element instanceof RadioNodeList) continue;
        if (element.type === 'checkbox') element.checked = value;
        else if (element.tagName === 'TEXTAREA' && element.dataset.richEditor === 'on') editor.setBody(value);
        else element.value = value;
      }
      offer.remove();
      status.say(`已恢复 ${time(draft.savedAt)} 的内容,请检查后保存`);
      changed();
    });
    const discard = button('不恢复', () => {
      offer.remove();
      localStorage.removeItem(key);
    });
    offer.append(restore, discard);
    wrapper.before(offer);
  }

  return {
    // The form is being given a new editor: this one lets go.
    stop() {
      stopped = true;
      clearTimeout(localTimer);
      localTimer = null;
      if (autosave) autosave.stop();
      if (offer) offer.remove();
      form.removeEventListener('submit', submitted, true);
      form.removeEventListener('input', changed);
      form.removeEventListener('change', changed);
      window.removeEventListener('pagehide', leaving);
    },
  };
}

function button(label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

// A form that saved comes back with `?done=…` (a new article's at its own address): the
// draft of the form last submitted is then saved, and kept no longer.
function forgetSubmitted() {
  const submitted = sessionStorage.getItem(SUBMITTED);
  if (!submitted || !new URLSearchParams(location.search).has('done')) return;
  localStorage.removeItem(submitted);
  sessionStorage.removeItem(SUBMITTED);
}

/** Sends the form to `url` at most every 30 s while it changes. */
function serverAutosave(form, fields, status, url) {
  let timer = null;
  let last = JSON.stringify(fields());
  const send = async () => {
    timer = null;
    const now = JSON.stringify(fields());
    if (now === last) return;
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (name !== 'intent' && typeof value === 'string') body.append(name, value);
    }
    try {
      const saved = await callServer(url, body, '自动保存没有成功');
      last = now;
      status.say(`已于 ${saved} 自动保存(尚未保存为新版本,也没有发布)`);
    } catch (refusal) {
      status.refuse('自动保存没有成功,内容仍保存在这台电脑的浏览器里。', refusal);
    }
  };
  return {
    changed() {
      if (!timer) timer = setTimeout(send, serverDelay());
    },
    stop() {
      clearTimeout(timer);
      timer = null;
    },
  };
}
