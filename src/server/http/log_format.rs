//! How the server's log lines look: as text, or one JSON object a line. A request's own
//! line is written by hand here in the shape `tracing`'s formatter gives a span named
//! `request` and its event, so that what reads the logs sees no difference; any other line
//! logged while a request is answered gets the request's name put where that span was.

use std::fmt::{self, Write as _};
use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use tracing::{Event, Level, Subscriber};
use tracing_appender::non_blocking::NonBlocking;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use super::request_log::{Answering, answering};

const TARGET: &str = "gazette::server::http::request_log";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LogFormat {
    /// With colours for a terminal.
    Text {
        ansi: bool,
    },
    Json,
}

/// The log's writer (the thread that writes lines out) and the lines' format.
#[derive(Clone)]
pub struct LogWriter {
    writer: NonBlocking,
    format: LogFormat,
}

impl LogWriter {
    pub fn new(writer: NonBlocking, format: LogFormat) -> LogWriter {
        LogWriter { writer, format }
    }

    pub fn write_line(&self, fill: impl FnOnce(&mut String, LogFormat)) {
        let mut line = String::with_capacity(256);
        fill(&mut line, self.format);
        // The writer only queues the line; it fails only once the process is stopping.
        let _ = std::io::Write::write_all(&mut self.writer.clone(), line.as_bytes());
    }
}

/// A request's line: its status and how long the answer took, in milliseconds.
pub fn answered(
    line: &mut String,
    format: LogFormat,
    request: &Answering,
    status: StatusCode,
    ms: f64,
) {
    let now = SystemTime::now();
    let status = status.as_u16();
    match format {
        LogFormat::Text { ansi } => {
            let (dim, green, bold, plain) = if ansi {
                ("\x1b[2m", "\x1b[32m", "\x1b[1m", "\x1b[0m")
            } else {
                ("", "", "", "")
            };
            line.push_str(dim);
            timestamp(line, now);
            for part in [
                plain, " ", green, " INFO", plain, " ", bold, "request", plain, "{",
            ] {
                line.push_str(part);
            }
            text_span_fields(line, request);
            for part in ["}: ", dim, TARGET, ":", plain, " answered status="] {
                line.push_str(part);
            }
            push_number(line, u64::from(status), 1);
            line.push_str(" ms=");
            push_tenths(line, ms);
            line.push('\n');
        }
        LogFormat::Json => {
            line.push_str("{\"timestamp\":\"");
            timestamp(line, now);
            line.push_str("\",\"level\":\"INFO\",\"fields\":{\"message\":\"answered\",\"status\":");
            push_number(line, u64::from(status), 1);
            line.push_str(",\"ms\":");
            push_tenths(line, ms);
            line.push_str("},\"target\":\"");
            line.push_str(TARGET);
            line.push_str("\",");
            json_span(line, request);
            line.push_str("}\n");
        }
    }
}

/// `request{…}` as `tracing`'s text format writes the span's fields.
fn text_span_fields(line: &mut String, request: &Answering) {
    line.push_str("id=");
    debug_string(line, &request.id);
    if let Some(client) = request.client {
        line.push_str(" client=");
        push_address(line, client);
    }
    line.push_str(" method=");
    line.push_str(request.method.as_str());
    line.push_str(" path=");
    debug_string(line, &request.path);
}

/// A string quoted as `{:?}` quotes it; most need no escape, and are copied as they are.
fn debug_string(out: &mut String, text: &str) {
    if text
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        let _ = write!(out, "{text:?}");
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

fn push_address(out: &mut String, address: IpAddr) {
    match address {
        IpAddr::V4(v4) => {
            for (n, octet) in v4.octets().into_iter().enumerate() {
                if n > 0 {
                    out.push('.');
                }
                push_number(out, u64::from(octet), 1);
            }
        }
        IpAddr::V6(v6) => {
            let _ = write!(out, "{v6}");
        }
    }
}

/// `n` in decimal, with leading zeros to `width` digits.
fn push_number(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || digits.len() - at < width {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// A number of milliseconds already rounded to tenths, as `{:?}` writes it (`0.4`, `12.0`).
fn push_tenths(out: &mut String, ms: f64) {
    let tenths = (ms * 10.0).round().max(0.0) as u64;
    push_number(out, tenths / 10, 1);
    out.push('.');
    push_number(out, tenths % 10, 1);
}

/// `"span":{…},"spans":[{…}]` as `tracing`'s JSON format writes the one span.
fn json_span(line: &mut String, request: &Answering) {
    let mut fields = String::with_capacity(128);
    fields.push_str("{\"id\":");
    json_string(&mut fields, &request.id);
    if let Some(client) = request.client {
        fields.push_str(",\"client\":\"");
        push_address(&mut fields, client);
        fields.push('"');
    }
    fields.push_str(",\"method\":");
    json_string(&mut fields, request.method.as_str());
    fields.push_str(",\"path\":");
    json_string(&mut fields, &request.path);
    fields.push_str(",\"name\":\"request\"}");
    for part in ["\"span\":", &fields, ",\"spans\":[", &fields, "]"] {
        line.push_str(part);
    }
}

fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `2026-12-03T07:26:30.406706Z`, as `tracing`'s default timer writes it, without going
/// through `core::fmt`.
fn timestamp(out: &mut String, now: SystemTime) {
    use chrono::{Datelike, Timelike};
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let at = i64::try_from(since.as_secs())
        .ok()
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .unwrap_or_default();
    push_number(out, u64::try_from(at.year()).unwrap_or_default(), 4);
    for (separator, n) in [
        ('-', at.month()),
        ('-', at.day()),
        ('T', at.hour()),
        (':', at.minute()),
        (':', at.second()),
    ] {
        out.push(separator);
        push_number(out, u64::from(n), 2);
    }
    out.push('.');
    push_number(out, u64::from(since.subsec_micros()), 6);
    out.push('Z');
}

/// Formats events with `inner`, naming the request being answered as its span did.
pub struct NamingRequests<F> {
    inner: F,
    json: bool,
}

impl<F> NamingRequests<F> {
    pub fn new(inner: F, json: bool) -> NamingRequests<F> {
        NamingRequests { inner, json }
    }
}

impl<S, N, F> FormatEvent<S, N> for NamingRequests<F>
where
    F: FormatEvent<S, N>,
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let Some(request) = answering() else {
            return self.inner.format_event(ctx, writer, event);
        };
        let mut line = String::new();
        self.inner
            .format_event(ctx, Writer::new(&mut line), event)?;
        writer.write_str(&name_request(
            &line,
            &request,
            *event.metadata().level(),
            self.json,
        ))
    }
}

/// The line with the request's span put in: in text after the level, in JSON as the
/// `span` the line had none of.
fn name_request(line: &str, request: &Answering, level: Level, json: bool) -> String {
    let mut named = String::with_capacity(line.len() + 128);
    if json {
        match line.strip_prefix('{') {
            Some(fields) if !line.contains("\"span\":") => {
                named.push('{');
                json_span(&mut named, request);
                named.push(',');
                named.push_str(fields);
            }
            _ => named.push_str(line),
        }
        return named;
    }
    let after_level = line
        .find(level.as_str())
        .and_then(|at| line[at..].find(' ').map(|space| at + space + 1));
    match after_level {
        Some(at) => {
            named.push_str(&line[..at]);
            named.push_str("request{");
            text_span_fields(&mut named, request);
            named.push_str("}: ");
            named.push_str(&line[at..]);
        }
        None => named.push_str(line),
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Method;
    use std::time::Duration;

    fn request(client: Option<&str>) -> Answering {
        Answering {
            id: "1a2b3c4d-7".into(),
            client: client.map(|client| client.parse().unwrap()),
            method: Method::GET,
            path: "/article/500".into(),
        }
    }

    #[test]
    fn timestamps_are_rfc_3339_in_utc_to_the_microsecond() {
        let at = UNIX_EPOCH + Duration::from_micros(1_796_283_990_406_706);
        let mut out = String::new();
        timestamp(&mut out, at);
        assert_eq!(out, "2026-12-03T07:46:30.406706Z");
        let mut out = String::new();
        timestamp(&mut out, UNIX_EPOCH + Duration::from_secs(951_782_400));
        assert_eq!(out, "2000-02-29T00:00:00.000000Z", "a leap day");
    }

    #[test]
    fn numbers_and_strings_are_written_as_the_formatter_writes_them() {
        let mut out = String::new();
        push_number(&mut out, 0, 1);
        push_number(&mut out, 7, 2);
        push_number(&mut out, 2026, 4);
        push_number(&mut out, 406_706, 6);
        push_number(&mut out, u64::MAX, 1);
        assert_eq!(out, format!("0072026406706{}", u64::MAX));
        for ms in [0.0, 0.4, 12.3, 5.0, 1666.4] {
            let mut out = String::new();
            push_tenths(&mut out, ms);
            assert_eq!(out, format!("{ms:?}"));
        }
        for text in ["/article/500", "/a\"b", "/a\\b", "/换行\n", "-"] {
            let mut out = String::new();
            debug_string(&mut out, text);
            assert_eq!(out, format!("{text:?}"));
        }
        for address in ["127.0.0.1", "10.0.255.9", "::1", "2001:db8::8a2e:370:7334"] {
            let mut out = String::new();
            push_address(&mut out, address.parse().unwrap());
            assert_eq!(out, address);
        }
    }

    #[test]
    fn a_text_line_reads_as_the_span_and_event_did() {
        let mut line = String::new();
        let format = LogFormat::Text { ansi: false };
        answered(
            &mut line,
            format,
            &request(Some("127.0.0.1")),
            StatusCode::OK,
            0.4,
        );
        let (_, rest) = line.split_once(' ').unwrap();
        assert_eq!(
            rest,
            " INFO request{id=\"1a2b3c4d-7\" client=127.0.0.1 method=GET path=\"/article/500\"}: \
             gazette::server::http::request_log: answered status=200 ms=0.4\n"
        );
    }

    #[test]
    fn a_json_line_has_the_fields_and_span_of_the_tracing_format() {
        let mut line = String::new();
        let mut odd = request(None);
        odd.path = "/a\"b\\c\u{1}".into();
        answered(
            &mut line,
            LogFormat::Json,
            &odd,
            StatusCode::NOT_FOUND,
            12.3,
        );
        assert!(line.ends_with("}\n"));
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(entry["level"], "INFO");
        assert_eq!(entry["target"], TARGET);
        assert_eq!(entry["fields"]["message"], "answered");
        assert_eq!(entry["fields"]["status"], 404);
        assert_eq!(entry["fields"]["ms"], 12.3);
        assert_eq!(entry["span"]["id"], "1a2b3c4d-7");
        assert_eq!(entry["span"]["method"], "GET");
        assert_eq!(entry["span"]["path"], "/a\"b\\c\u{1}");
        assert_eq!(entry["span"]["name"], "request");
        assert!(entry["span"].get("client").is_none());
        assert_eq!(entry["spans"][0], entry["span"]);
        assert!(entry["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn other_lines_name_the_request_being_answered() {
        let text = "2026-12-03T07:26:30.406706Z ERROR gazette::db: 数据库出错 kind=busy\n";
        assert_eq!(
            name_request(text, &request(None), Level::ERROR, false),
            "2026-12-03T07:26:30.406706Z ERROR request{id=\"1a2b3c4d-7\" method=GET \
             path=\"/article/500\"}: gazette::db: 数据库出错 kind=busy\n"
        );
        let json = "{\"timestamp\":\"t\",\"level\":\"WARN\",\"fields\":{\"message\":\"m\"}}\n";
        let named: serde_json::Value =
            serde_json::from_str(&name_request(json, &request(None), Level::WARN, true)).unwrap();
        assert_eq!(named["span"]["path"], "/article/500");
        assert_eq!(named["fields"]["message"], "m");
        let spanned = "{\"span\":{\"name\":\"other\"}}\n";
        assert_eq!(
            name_request(spanned, &request(None), Level::WARN, true),
            spanned,
            "a line that has a span keeps it"
        );
    }
}
