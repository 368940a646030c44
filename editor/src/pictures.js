// Pictures and files that arrive in the body: pasted (screenshots, a picture copied from
// Word), dropped, or picked with the toolbar go through the uploads; pasted HTML goes
// through the server's cleaner, which also copies pictures that live on other sites.
import { TextSelection } from 'prosemirror-state';
import { schema } from './schema.js';
import { addPending } from './pending.js';
import { callServer, upload } from './server.js';

/** Uploads each file and puts it where the selection was: pictures shown, others linked. */
export function insertFiles(view, files, status) {
  for (const file of files) {
    const pending = addPending(view, `正在上传 ${file.name}…`);
    status.say(`正在上传 ${file.name}…`);
    upload(file, (percent) => {
      pending.label(`正在上传 ${file.name} ${percent}%`);
      status.say(`正在上传 ${file.name} ${percent}%`);
    })
      .then((uploaded) => {
        const pos = pending.take();
        if (pos === null) return;
        const node = uploaded.is_image
          ? schema.nodes.image.create({ src: uploaded.url, alt: altFrom(uploaded.name) })
          : schema.text(uploaded.name, [schema.marks.link.create({ href: uploaded.url })]);
        view.dispatch(view.state.tr.insert(pos, node).scrollIntoView());
        status.say(uploaded.is_image ? `已插入图片 ${uploaded.name}` : `已插入附件 ${uploaded.name}`);
      })
      .catch((refusal) => {
        pending.take();
        status.refuse(`${file.name} 没有上传:`, refusal);
      });
  }
}

// A file name says little about a picture, but more than nothing; editors can change it.
function altFrom(name) {
  return name.replace(/\.[a-z0-9]+$/i, '');
}

/** Whether pasted HTML holds no text, only pictures (a picture copied from Word). */
function onlyPictures(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content.textContent.trim() === '';
}

/** The paste handler: files upload, HTML and text go through the server's cleaner. */
export function handlePaste(view, event, status, bypass) {
  if (bypass.on) return false;
  const data = event.clipboardData;
  if (!data || view.state.selection.$from.parent.type.spec.code) return false;
  const html = data.getData('text/html');
  const text = data.getData('text/plain');
  const files = [...data.files].filter((file) => file.type.startsWith('image/'));
  if (files.length && (!html || onlyPictures(html))) {
    event.preventDefault();
    insertFiles(view, files, status);
    return true;
  }
  if (!html && !text) return false;
  event.preventDefault();
  const pending = addPending(view, '正在整理粘贴的内容…');
  status.say('正在整理粘贴的内容…');
  callServer('admin/clean_paste', { html, text }, '粘贴的内容没有整理好')
    .then((pasted) => {
      paste(view, pending.take(), bypass, () => view.pasteHTML(pasted.html));
      if (pasted.notes.length) status.warn(pasted.notes.join(';'));
      else status.say('已粘贴');
    })
    .catch((refusal) => {
      paste(view, pending.take(), bypass, () => view.pasteText(text));
      status.refuse('粘贴的内容没有经过整理,已按纯文本粘贴。', refusal);
    });
  return true;
}

function paste(view, pos, bypass, run) {
  if (pos === null) return;
  view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(pos))));
  bypass.on = true;
  try {
    run();
  } finally {
    bypass.on = false;
  }
}

/** The drop handler: dropped files upload to where they were dropped. */
export function handleDrop(view, event, status) {
  const files = event.dataTransfer ? [...event.dataTransfer.files] : [];
  if (!files.length) return false;
  event.preventDefault();
  const place = view.posAtCoords({ left: event.clientX, top: event.clientY });
  if (place) {
    view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(place.pos))));
  }
  insertFiles(view, files, status);
  return true;
}
