// The body editor of the editors' area: turns each `textarea[data-rich-editor]` into a
// rich-text editor with a toolbar, once the page is hydrated. The textarea stays the form
// field (kept in step on every change), so the form submits the same way with or without
// this script, and the server sanitises whatever arrives. Pasted content goes through the
// server's cleaner, which keeps structure (headings, lists, tables, links) and drops Word's
// and WeChat's styling.
(() => {
  'use strict';

  const TOOLS = [
    ['段落', () => format('formatBlock', '<p>')],
    ['标题', () => format('formatBlock', '<h2>')],
    ['小标题', () => format('formatBlock', '<h3>')],
    ['粗体', () => format('bold')],
    ['斜体', () => format('italic')],
    ['项目列表', () => format('insertUnorderedList')],
    ['编号列表', () => format('insertOrderedList')],
    ['引用', () => format('formatBlock', '<blockquote>')],
    ['链接', addLink],
    ['图片', null],
    ['清除格式', () => format('removeFormat')],
  ];

  function format(command, value) {
    document.execCommand(command, false, value);
  }

  function addLink() {
    const url = window.prompt('链接地址(以 http:// 或 https:// 开头)', 'https://');
    if (url && /^https?:\/\/./i.test(url)) format('createLink', url);
  }

  function enhance(textarea) {
    textarea.dataset.richEditor = 'on';
    const wrapper = textarea.parentElement;
    const toolbar = document.createElement('div');
    toolbar.className = 'editor-toolbar';
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', '正文格式');
    const surface = document.createElement('div');
    surface.className = 'editor-surface';
    surface.contentEditable = 'true';
    surface.setAttribute('role', 'textbox');
    surface.setAttribute('aria-multiline', 'true');
    surface.setAttribute('aria-label', '正文');
    surface.innerHTML = textarea.value;
    const status = document.createElement('p');
    status.className = 'editor-status';
    status.setAttribute('role', 'status');

    const sync = () => {
      textarea.value = surface.innerHTML;
    };
    const picker = document.createElement('input');
    picker.type = 'file';
    picker.accept = 'image/jpeg,image/png,image/webp,image/gif';
    picker.hidden = true;
    picker.addEventListener('change', () => {
      const file = picker.files && picker.files[0];
      picker.value = '';
      if (file) upload(file, surface, status, sync);
    });

    for (const [label, run] of TOOLS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.addEventListener('mousedown', (event) => event.preventDefault());
      button.addEventListener('click', () => {
        surface.focus();
        if (run) run(); else picker.click();
        sync();
      });
      toolbar.append(button);
    }

    surface.addEventListener('input', sync);
    surface.addEventListener('paste', (event) => {
      event.preventDefault();
      const data = event.clipboardData;
      const image = [...(data.files || [])].find((f) => f.type.startsWith('image/'));
      if (image) {
        upload(image, surface, status, sync);
        return;
      }
      paste(data.getData('text/html'), data.getData('text/plain'), status, sync);
    });
    // Submitting reads the textarea: make sure it holds the latest content.
    textarea.form && textarea.form.addEventListener('submit', sync, true);

    textarea.hidden = true;
    wrapper.prepend(toolbar, surface, status, picker);
  }

  async function paste(html, text, status, sync) {
    status.textContent = '正在整理粘贴的内容…';
    try {
      const body = new URLSearchParams({ html, text });
      const response = await fetch('/api/admin/clean_paste', {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body,
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(Object.values(answer)[0] || '粘贴失败');
      format('insertHTML', answer);
      status.textContent = '';
    } catch (error) {
      status.textContent = '粘贴的内容无法整理,已按纯文本粘贴';
      format('insertText', text);
    }
    sync();
  }

  async function upload(file, surface, status, sync) {
    status.textContent = `正在上传 ${file.name}…`;
    const form = new FormData();
    form.append('file', file);
    try {
      const response = await fetch('/admin/uploads', {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: form,
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.error || '上传失败');
      surface.focus();
      const image = document.createElement('img');
      image.src = answer.url;
      image.alt = answer.name;
      format('insertHTML', `<p>${image.outerHTML}</p>`);
      status.textContent = `已插入图片 ${answer.name}`;
    } catch (error) {
      status.textContent = error.message || '上传失败';
    }
    sync();
  }

  // Enhances editors that exist now or appear later (client-side navigation), but only on
  // a hydrated page: before hydration, the DOM belongs to the framework.
  function scan() {
    if (!document.documentElement.hasAttribute('data-hydrated')) return;
    document
      .querySelectorAll('textarea[data-rich-editor=""]')
      .forEach(enhance);
  }
  new MutationObserver(scan).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-hydrated'],
    childList: true,
    subtree: true,
  });
  scan();
})();
