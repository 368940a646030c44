// Visitors' pages move from page to page without a full reload. A link or the search form
// asks the server for the next page as HTML, just as a first load does (the server counts
// the view, follows an old address to its new one, answers 404 the same way), and that
// page's <head> and <body> take the place of this one's. The wasm bundle, which the editors'
// area hydrates with, is never loaded on these pages: they have nothing else for it to do.
//
// Left to the browser: the editors' area, files and feeds, links to other sites or windows,
// anchors on the same page, and any page from another version of the site (after an
// upgrade), which is loaded in full so that a page never mixes two versions.
(() => {
  const script = document.currentScript;
  const version = script.getAttribute('src');
  let latest = 0;
  // The page on screen, to tell a move between its own anchors from one to another page.
  let shown = location.pathname + location.search;

  // Between pages swapped in here the scroll position is ours to restore (the browser would
  // restore it before the page it belongs to is back); a reload or a full load is the
  // browser's again.
  history.scrollRestoration = 'manual';
  window.addEventListener('pagehide', () => (history.scrollRestoration = 'auto'));
  window.addEventListener('pageshow', () => (history.scrollRestoration = 'manual'));
  // Lets styles and browser tests tell that links are now taken care of here.
  document.documentElement.setAttribute('data-hydrated', script.dataset.build);

  function isPage(url) {
    if (url.origin !== location.origin) return false;
    const path = url.pathname;
    if (path === '/admin' || path.startsWith('/admin/') || path === '/reading') return false;
    if (/^\/(uploads|assets|pkg)\//.test(path)) return false;
    // Old sites' page addresses (.html, .php, …) redirect to pages; other files are files.
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    return dot < 0 || /^(s?html?|php|aspx?|jsp)$/i.test(name.slice(dot + 1));
  }

  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!(link instanceof HTMLAnchorElement)) return;
    if ((link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    if ((link.getAttribute('rel') || '').split(/\s+/).includes('external')) return;
    const url = new URL(link.href);
    if (!isPage(url)) return;
    if (url.pathname + url.search === shown && url.hash) return;
    event.preventDefault();
    // The page itself again: reloaded in place, as browsers do, not added to the history.
    go(url, url.href === location.href ? 'replace' : 'push');
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if (form.method.toLowerCase() !== 'get' || (form.target && form.target !== '_self')) return;
    const url = new URL(form.action);
    if (!isPage(url)) return;
    url.search = new URLSearchParams(new FormData(form, event.submitter)).toString();
    url.hash = '';
    event.preventDefault();
    go(url, 'push');
  });

  // Where the reader is on this page, kept in its history entry for back and forward.
  let saving;
  const remember = () =>
    history.replaceState({ ...history.state, scroll: [window.scrollX, window.scrollY] }, '');
  window.addEventListener('scroll', () => {
    clearTimeout(saving);
    saving = setTimeout(remember, 150);
  }, { passive: true });

  window.addEventListener('popstate', (event) => {
    if (location.pathname + location.search === shown) return;
    go(new URL(location.href), 'none', event.state && event.state.scroll);
  });

  // `how`: 'push' adds the page to the history, 'replace' puts it in the current entry's
  // place; 'none' shows the entry the browser moved to.
  async function go(url, how, scroll) {
    const mine = ++latest;
    // Hands the address to the browser, in the same place in the history.
    const load = (to) => (how === 'push' ? location.assign(to) : location.replace(to));
    // After popstate the current entry is already the one to show: nothing to remember.
    clearTimeout(saving);
    if (how === 'push') remember();
    const main = document.getElementById('main');
    if (main) main.setAttribute('aria-busy', 'true');
    let response;
    let html;
    try {
      response = await fetch(url, { headers: { Accept: 'text/html' } });
      const type = response.headers.get('Content-Type') || '';
      if (!type.startsWith('text/html')) throw new Error(`${url} is not a page`);
      html = await response.text();
    } catch {
      if (mine === latest) load(url);
      return;
    }
    if (mine !== latest) return;
    const next = new DOMParser().parseFromString(html, 'text/html');
    const nextScript = next.querySelector('script[data-navigation]');
    const address = new URL(response.redirected ? response.url : url);
    if (!address.hash) address.hash = url.hash;
    if (!nextScript || nextScript.getAttribute('src') !== version) {
      // The editors' area, or a newer version of the site: a full load.
      load(address);
      return;
    }
    if (how === 'push') {
      history.pushState(null, '', address);
    } else if (how === 'replace' || response.redirected) {
      history.replaceState(null, '', address);
    }
    shown = location.pathname + location.search;
    show(next);
    place(address, scroll);
  }

  function show(next) {
    const root = document.documentElement;
    for (const name of ['class', 'lang']) {
      const value = next.documentElement.getAttribute(name);
      if (value === null) root.removeAttribute(name);
      else root.setAttribute(name, value);
    }
    // What both heads hold (styles, icons) stays, so nothing is loaded again or flickers.
    const incoming = [...next.head.children].filter((node) => node.tagName !== 'SCRIPT');
    for (const node of [...document.head.children]) {
      if (node.tagName === 'SCRIPT') continue;
      const same = incoming.findIndex((other) => other.isEqualNode(node));
      if (same >= 0) incoming.splice(same, 1);
      else node.remove();
    }
    document.head.append(...incoming);
    document.body.replaceWith(next.body);
  }

  // Back and forward return to where the reader was; a new page starts at its top, or at
  // its anchor. Focus moves to the new content, where a keyboard or screen reader user
  // would otherwise be left on a link that is gone.
  function place(address, scroll) {
    const main = document.getElementById('main');
    if (main) main.focus({ preventScroll: true });
    const anchor = address.hash && document.getElementById(decodeURIComponent(address.hash.slice(1)));
    if (scroll) window.scrollTo(scroll[0], scroll[1]);
    else if (anchor) anchor.scrollIntoView();
    else window.scrollTo(0, 0);
  }
})();
