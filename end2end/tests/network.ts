import type { Page } from '@playwright/test';

export interface Transfer {
  url: string;
  /** Bytes received for it over the wire, compressed as sent, headers included. */
  bytes: number;
  /** Answered from the browser's own cache: no request reached the server. */
  fromCache: boolean;
}

/**
 * Watches a page's network through Chromium's DevTools protocol, which (unlike Playwright's
 * request events) tells the bytes that came over the wire and which answers the browser's
 * cache gave without asking the server.
 */
export async function watchNetwork(page: Page) {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  const urls = new Map<string, string>();
  const cached = new Set<string>();
  const bytes = new Map<string, number>();
  session.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  session.on('Network.requestServedFromCache', (event) => cached.add(event.requestId));
  session.on('Network.responseReceived', (event) => {
    if (event.response.fromDiskCache || event.response.fromPrefetchCache) {
      cached.add(event.requestId);
    }
  });
  session.on('Network.loadingFinished', (event) => bytes.set(event.requestId, event.encodedDataLength));
  return {
    /** The page's JavaScript and WebAssembly, each file as it was loaded. */
    code(): Transfer[] {
      return [...urls]
        .filter(([, url]) => /\.(js|wasm)$/.test(new URL(url).pathname))
        .map(([id, url]) => ({ url, bytes: bytes.get(id) ?? 0, fromCache: cached.has(id) }));
    },
  };
}
