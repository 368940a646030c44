//! Which compression a browser takes (`Accept-Encoding`), and compressing a kept page's
//! bytes in it once, for every browser that asks for the page after.

use std::io::Write;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};

/// A coding of a response body we produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The best coding the request accepts: brotli, else gzip, else the bytes as they are.
    /// Only codings named with a weight above zero count (browsers name them; `*` is left
    /// to the on-the-fly compression, which knows it).
    pub fn preferred(headers: &HeaderMap) -> Coding {
        let mut brotli = false;
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|parameter| {
                    let parameter = parameter.trim();
                    parameter
                        .strip_prefix("q=")
                        .or_else(|| parameter.strip_prefix("Q="))
                        .and_then(|weight| weight.trim().parse::<f32>().ok())
                        .is_some_and(|weight| weight <= 0.0)
                });
                if refused {
                    continue;
                }
                if name.eq_ignore_ascii_case("br") {
                    brotli = true;
                } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                    gzip = true;
                }
            }
        }
        if brotli {
            Coding::Brotli
        } else if gzip {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }

    /// The `Content-Encoding` value, if the body is coded.
    pub fn header_value(self) -> Option<HeaderValue> {
        match self {
            Coding::Brotli => Some(HeaderValue::from_static("br")),
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
            Coding::Identity => None,
        }
    }

    /// `body` in this coding. The levels are those of a page compressed once a second, not
    /// once a build: a little better than on-the-fly compression, and still well under a
    /// millisecond for a page.
    pub fn encode(self, body: &[u8]) -> std::io::Result<Bytes> {
        match self {
            Coding::Brotli => {
                let mut out = Vec::with_capacity(body.len() / 4);
                {
                    let mut writer = brotli::CompressorWriter::new(&mut out, 16 * 1024, 6, 22);
                    writer.write_all(body)?;
                }
                Ok(Bytes::from(out))
            }
            Coding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(body.len() / 3),
                    flate2::Compression::new(6),
                );
                encoder.write_all(body)?;
                Ok(Bytes::from(encoder.finish()?))
            }
            Coding::Identity => Ok(Bytes::copy_from_slice(body)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accepting(value: &str) -> Coding {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        Coding::preferred(&headers)
    }

    #[test]
    fn browsers_get_brotli_then_gzip_and_a_refusal_is_respected() {
        assert_eq!(accepting("gzip, deflate, br, zstd"), Coding::Brotli);
        assert_eq!(accepting("gzip, deflate"), Coding::Gzip);
        assert_eq!(accepting("BR;q=0.5, gzip;q=1.0"), Coding::Brotli);
        assert_eq!(accepting("br;q=0, gzip"), Coding::Gzip);
        assert_eq!(accepting("br; q=0.0, gzip;q=0"), Coding::Identity);
        assert_eq!(accepting("identity"), Coding::Identity);
        assert_eq!(accepting("*"), Coding::Identity);
        assert_eq!(Coding::preferred(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn coded_bodies_decode_to_the_original() {
        let page = "<p>深圳市美容行业协会 2026 年会员大会通知</p>\n".repeat(100);
        let mut decoded = String::new();
        brotli::Decompressor::new(&Coding::Brotli.encode(page.as_bytes()).unwrap()[..], 4096)
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&Coding::Gzip.encode(page.as_bytes()).unwrap()[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        assert_eq!(
            Coding::Identity.encode(page.as_bytes()).unwrap(),
            page.as_bytes()
        );
    }
}
