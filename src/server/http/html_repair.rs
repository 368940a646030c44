//! Two repairs to the HTML Leptos 0.8.23 writes, made as it streams out:
//!
//! - The preload links of the wasm bundle and of the editors' split chunks carry the
//!   script nonce as their `crossorigin` value (leptos-rs/leptos#4843). That is no CORS
//!   setting: the page fails HTML validation, and a browser may not match the preload with
//!   the `fetch` and `import` that use the files. It is written `crossorigin=""` (anonymous:
//!   same-origin credentials, as those requests send).
//! - The scripts that hand resolved data to the browser are streamed after `</html>`, a
//!   parse error. The closing `</body>…</html>`, with the hydration markers around it, is
//!   held back and written after everything else: the page parses into the same document
//!   a browser made of it before (the scripts at the end of the body, the markers outside
//!   it), so hydration sees what it always saw.
//!
//! It sits innermost, so the page cache keeps repaired pages.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use http_body::Frame;

use super::security_headers::CspNonce;

const BODY_END: &[u8] = b"</body>";
const HTML_END: &[u8] = b"</html>";
const ANONYMOUS: &[u8] = b"crossorigin=\"\"";
/// A hydration marker.
const MARKER: &[u8] = b"<!>";

pub async fn repair(request: Request, next: Next) -> Response {
    let nonce = request.extensions().get::<CspNonce>().cloned();
    let response = next.run(request).await;
    let Some(nonce) = nonce.filter(|_| super::is_html(response.headers())) else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    // The repaired page is shorter.
    parts.headers.remove(header::CONTENT_LENGTH);
    let repaired = RepairedBody {
        inner: body,
        repair: Repair::new(&nonce.0),
        ended: false,
    };
    Response::from_parts(parts, Body::new(repaired))
}

/// The repairs over a page arriving in pieces: what may be the start of a pattern cut in
/// two is kept until the next piece.
struct Repair {
    bad_crossorigin: Vec<u8>,
    pending: Vec<u8>,
    /// `</body>…</html>` and the markers right after it, once seen, to write last.
    closing: Option<Vec<u8>>,
    /// Markers straight after `</html>` still join the closing.
    after_html: bool,
}

impl Repair {
    fn new(nonce: &str) -> Repair {
        Repair {
            bad_crossorigin: format!("crossorigin=\"{nonce}\"").into_bytes(),
            pending: Vec::new(),
            closing: None,
            after_html: false,
        }
    }

    /// The repaired text that can be sent now.
    fn push(&mut self, piece: &[u8]) -> Vec<u8> {
        self.pending.extend_from_slice(piece);
        let text = replace_all(&self.pending, &self.bad_crossorigin, ANONYMOUS);
        let mut ready = Vec::with_capacity(text.len());
        let mut rest = &text[..];
        if self.closing.is_none()
            && let Some(start) = find(rest, BODY_END)
        {
            ready.extend_from_slice(&rest[..start]);
            match find(&rest[start..], HTML_END) {
                Some(length) => {
                    let end = start + length + HTML_END.len();
                    self.closing = Some(rest[start..end].to_vec());
                    self.after_html = true;
                    rest = &rest[end..];
                }
                // Held from `</body>` on until `</html>` arrives.
                None => {
                    self.pending = rest[start..].to_vec();
                    return ready;
                }
            }
        }
        if self.after_html {
            while rest.starts_with(MARKER) {
                if let Some(closing) = self.closing.as_mut() {
                    closing.extend_from_slice(MARKER);
                }
                rest = &rest[MARKER.len()..];
            }
            // Perhaps the start of another marker: decided by the next piece.
            if MARKER.starts_with(rest) {
                self.pending = rest.to_vec();
                return ready;
            }
            self.after_html = false;
        }
        let longest = self.bad_crossorigin.len().max(BODY_END.len());
        let keep = (longest - 1).min(rest.len());
        ready.extend_from_slice(&rest[..rest.len() - keep]);
        self.pending = rest[rest.len() - keep..].to_vec();
        ready
    }

    /// What is left at the end of the page, the closing tags last.
    fn finish(&mut self) -> Vec<u8> {
        let mut rest = std::mem::take(&mut self.pending);
        if let Some(closing) = self.closing.take() {
            rest.extend_from_slice(&closing);
        }
        rest
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn replace_all(text: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

struct RepairedBody {
    inner: Body,
    repair: Repair,
    ended: bool,
}

impl http_body::Body for RepairedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => {
                        let ready = this.repair.push(&data);
                        if !ready.is_empty() {
                            return Poll::Ready(Some(Ok(Frame::data(Bytes::from(ready)))));
                        }
                    }
                    Err(other) => return Poll::Ready(Some(Ok(other))),
                },
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => {
                    this.ended = true;
                    let rest = this.repair.finish();
                    return Poll::Ready(
                        (!rest.is_empty()).then(|| Ok(Frame::data(Bytes::from(rest)))),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page repaired, sent in pieces of `size` bytes.
    fn repaired(page: &str, nonce: &str, size: usize) -> String {
        let mut repair = Repair::new(nonce);
        let mut out = Vec::new();
        for piece in page.as_bytes().chunks(size) {
            out.extend(repair.push(piece));
        }
        out.extend(repair.finish());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn preloads_lose_the_nonce_and_scripts_move_inside_the_page_however_it_is_cut() {
        let page = concat!(
            "<html><head><link rel=\"modulepreload\" href=\"/pkg/g.js\" crossorigin=\"n0nce\">",
            "<script nonce=\"n0nce\">go()</script></head><body><p>正文</p></body><!><!></html>",
            "<!><script nonce=\"n0nce\">data()</script>"
        );
        let expected = concat!(
            "<html><head><link rel=\"modulepreload\" href=\"/pkg/g.js\" crossorigin=\"\">",
            "<script nonce=\"n0nce\">go()</script></head><body><p>正文</p>",
            "<script nonce=\"n0nce\">data()</script></body><!><!></html><!>"
        );
        for size in [1, 2, 3, 7, 16, 1000] {
            assert_eq!(repaired(page, "n0nce", size), expected, "pieces of {size}");
        }
    }

    #[test]
    fn a_page_without_either_fault_is_unchanged() {
        let page = "<html><body><p>crossorigin=\"other\"</p></body></html>";
        assert_eq!(repaired(page, "n0nce", 5), page);
        assert_eq!(repaired("短", "n0nce", 1), "短");
    }
}
