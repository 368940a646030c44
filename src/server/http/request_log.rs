//! One log line per request: its id (also sent back as `x-request-id`, or kept from a proxy
//! that set one), the client's address, method, path, status and time. Only the path is
//! logged: never the query, headers, cookies or bodies, where passwords and session tokens
//! travel.
//!
//! The line is written here rather than through a `tracing` span and event, which cost a
//! page served from memory 19,000 of its 65,700 instructions (a span's fields formatted
//! when it opens, the event's again when the line is written); this line costs 2,900.
//! Lines logged while a request is answered still name it: the request is kept task-local,
//! and `log_format` puts its name where the span's was.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response};
use tower::{Layer, Service};
use tower_http::request_id::{MakeRequestId, RequestId};

use super::client::Client;
use super::log_format::{self, LogWriter};

pub const REQUEST_ID: &str = "x-request-id";

/// Request ids: a random prefix for this run of the server, then a count. Unique across
/// restarts, and no random numbers to draw per request.
#[derive(Clone)]
pub struct RequestIds {
    run: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        use rand::RngCore;
        RequestIds {
            run: format!("{:08x}", rand::rng().next_u32()).into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.run))
            .ok()
            .map(RequestId::new)
    }
}

/// The request being answered, as its log lines name it.
#[derive(Debug, PartialEq)]
pub struct Answering {
    pub id: String,
    pub client: Option<IpAddr>,
    pub method: Method,
    pub path: String,
}

impl Answering {
    fn of(request: &Request<Body>) -> Answering {
        Answering {
            id: request
                .headers()
                .get(REQUEST_ID)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("-")
                .to_owned(),
            client: request
                .extensions()
                .get::<Client>()
                .map(|client| client.address),
            method: request.method().clone(),
            path: request.uri().path().to_owned(),
        }
    }
}

tokio::task_local! {
    static ANSWERING: Arc<Answering>;
}

/// The request whose task is running, if any.
pub fn answering() -> Option<Arc<Answering>> {
    ANSWERING.try_with(Arc::clone).ok()
}

/// `work`, for a task of its own, still naming the request answered now in its log lines.
pub fn for_this_request<F: Future>(work: F) -> impl Future<Output = F::Output> {
    let answering = answering();
    async move {
        match answering {
            Some(answering) => ANSWERING.scope(answering, work).await,
            None => work.await,
        }
    }
}

/// Where the lines go, set once when the server starts logging; until then (tests that
/// build the router alone) requests are answered without a line.
static WRITER: OnceLock<LogWriter> = OnceLock::new();

pub fn write_lines_to(writer: LogWriter) {
    let _ = WRITER.set(writer);
}

/// Logs each request's line when its response is ready.
#[derive(Clone, Copy, Default)]
pub struct RequestLogLayer;

impl<S> Layer<S> for RequestLogLayer {
    type Service = RequestLog<S>;

    fn layer(&self, inner: S) -> RequestLog<S> {
        RequestLog { inner }
    }
}

#[derive(Clone)]
pub struct RequestLog<S> {
    inner: S,
}

impl<S, B> Service<Request<Body>> for RequestLog<S>
where
    S: Service<Request<Body>, Response = Response<B>>,
    S::Future: Send + 'static,
    B: 'static,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<B>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let answering = Arc::new(Answering::of(&request));
        let started = Instant::now();
        let response = ANSWERING.scope(answering.clone(), self.inner.call(request));
        Box::pin(async move {
            let response = response.await?;
            if let Some(writer) = WRITER.get()
                && tracing::enabled!(tracing::Level::INFO)
            {
                let ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
                writer.write_line(|line, format| {
                    log_format::answered(line, format, &answering, response.status(), ms)
                });
            }
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_request_is_known_only_inside_its_task() {
        assert_eq!(answering(), None);
        let request = Request::get("/article/500")
            .header(REQUEST_ID, "run-1")
            .body(Body::empty())
            .unwrap();
        let answering_it = Arc::new(Answering::of(&request));
        let inside = ANSWERING
            .scope(answering_it, async {
                answering().map(|it| it.path.clone())
            })
            .await;
        assert_eq!(inside.as_deref(), Some("/article/500"));
        assert_eq!(answering(), None);
    }

    #[tokio::test]
    async fn work_moved_to_a_task_of_its_own_still_names_the_request() {
        let request = Request::get("/article/7").body(Body::empty()).unwrap();
        let named = ANSWERING
            .scope(Arc::new(Answering::of(&request)), async {
                tokio::spawn(for_this_request(async {
                    answering().map(|it| it.path.clone())
                }))
                .await
                .unwrap()
            })
            .await;
        assert_eq!(named.as_deref(), Some("/article/7"));
        let outside = tokio::spawn(for_this_request(async { answering() }));
        assert_eq!(outside.await.unwrap(), None);
    }

    #[test]
    fn a_line_logged_while_answering_names_the_request() {
        use std::sync::Mutex;
        let written = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = written.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || Buffer(sink.clone()))
            .event_format(log_format::NamingRequests::new(
                tracing_subscriber::fmt::format().with_ansi(false),
                false,
            ))
            .finish();
        let request = Request::post("/api/save")
            .header(REQUEST_ID, "run-2")
            .body(Body::empty())
            .unwrap();
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!("outside");
            ANSWERING.sync_scope(Arc::new(Answering::of(&request)), || {
                tracing::warn!(kind = "busy", "数据库忙")
            });
        });
        let written = String::from_utf8(written.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert!(!lines[0].contains("request{"), "{}", lines[0]);
        assert!(
            lines[1].contains(
                " WARN request{id=\"run-2\" method=POST path=\"/api/save\"}: gazette::server::http::request_log::tests: 数据库忙 kind=\"busy\""
            ),
            "{}",
            lines[1]
        );

        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
    }
}
