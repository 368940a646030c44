//! What the HTTP tests share: a fresh site behind the real router, and requests to it.
// Each test file uses its own part of this.
#![allow(dead_code)]

pub mod postgres;
pub mod server;

use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sqlx::SqlitePool;
use tower::ServiceExt;

use gazette::model::Role;
use gazette::server::auth::password::hash;
use gazette::server::auth::session::hash_token;
use gazette::server::config::Config;
use gazette::server::http::router;
use gazette::server::state::AppState;
use leptos_axum::AxumRouteListing;

pub const BROWSER: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36";
pub const MODEL_TITLE: &str = "广州深圳“双城联动”论坛在深举行";

/// Generated once: generating them while another test renders a page would stall it.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(router::page_routes);

pub fn page_routes() -> Vec<AxumRouteListing> {
    ROUTES.clone()
}

pub struct Site {
    pub router: Router,
    pub state: AppState,
    pub pool: SqlitePool,
    pub folder: tempfile::TempDir,
}

/// A fresh database with the demo content, behind the real router.
pub async fn site() -> Site {
    site_with(|_| {}).await
}

/// `site()`, with the configuration changed first.
pub async fn site_with(change: impl FnOnce(&mut Config)) -> Site {
    build_site(true, change).await
}

/// A site with nothing in it yet, as a new installation is.
pub async fn empty_site() -> Site {
    build_site(false, |_| {}).await
}

async fn build_site(demo: bool, change: impl FnOnce(&mut Config)) -> Site {
    let folder = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}/test.db", folder.path().display());
    let pool = gazette::db::connect(&database_url).await.unwrap();
    if demo {
        gazette::db::demo::load_if_empty(&pool).await.unwrap();
    }
    let mut config = Config {
        site_addr: "127.0.0.1:3000".parse().unwrap(),
        site_root: folder.path().display().to_string(),
        database_url,
        uploads_dir: folder.path().join("uploads"),
        upload_max_bytes: 1024,
        session_lifetime_hours: 1,
        public_base_url: "https://www.example.org".into(),
        search_limit_per_minute: gazette::server::audience::rate_limit::SEARCHES_PER_WINDOW,
        trusted_proxies: Vec::new(),
        remote_images_from_private_networks: false,
    };
    change(&mut config);
    let state = AppState::new(gazette::db::Store::Sqlite(pool.clone()), config);
    Site {
        router: router::build(state.clone(), ROUTES.clone()),
        state,
        pool,
        folder,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Site {
    pub async fn get(&self, uri: &str) -> Reply {
        self.get_with(uri, &[]).await
    }

    /// Sends any request and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).replace("<!>", ""),
        }
    }

    /// A form POST from this site's own pages, as a signed-in browser sends it.
    pub async fn post_form(&self, uri: &str, cookie: Option<&str>, form: &str) -> Reply {
        let mut request = Request::post(uri)
            .header(header::USER_AGENT, BROWSER)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(form.to_string())).unwrap())
            .await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
        let mut request = Request::get(uri);
        if !headers.iter().any(|(name, _)| name == header::USER_AGENT) {
            request = request.header(header::USER_AGENT, BROWSER);
        }
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn model_article_id(&self) -> i64 {
        sqlx::query_scalar("SELECT id FROM articles WHERE title = ?")
            .bind(MODEL_TITLE)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// The stored 浏览量, after writing what was counted.
    pub async fn views(&self, id: i64) -> i64 {
        self.state
            .view_counter
            .flush(&self.state.pool)
            .await
            .unwrap();
        sqlx::query_scalar("SELECT view_count FROM articles WHERE id = ?")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

impl Reply {
    pub fn head(&self) -> &str {
        self.body.split("</head>").next().unwrap_or("")
    }

    pub fn set_cookie(&self) -> Option<String> {
        self.headers
            .get(header::SET_COOKIE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(str::to_string)
    }
}

/// An account of `role` with an open session; returns its cookie.
pub async fn session(pool: &SqlitePool, name: &str, role: Role) -> String {
    let id = gazette::db::users::create(pool, name, role, &hash("一个足够长的密码").unwrap())
        .await
        .unwrap();
    let token = format!("token-of-{name}");
    gazette::db::sessions::create(pool, &hash_token(&token), id, i64::MAX)
        .await
        .unwrap();
    format!("gz_session={token}")
}

/// Everything editors can change, to prove that a refused call changed nothing.
pub async fn fingerprint(pool: &SqlitePool) -> String {
    sqlx::query_scalar(
        "SELECT json_array(
            (SELECT group_concat(id || ':' || version || ':' || status || ':' || title) FROM articles),
            (SELECT group_concat(id || ':' || slug || ':' || name) FROM categories),
            (SELECT group_concat(id || ':' || name) FROM friendly_links),
            (SELECT name || phone || fax || email || address || icp_number FROM site_settings),
            (SELECT group_concat(username || role || disabled || password_hash) FROM users),
            (SELECT count(*) FROM sessions),
            (SELECT count(*) FROM article_revisions),
            (SELECT count(*) FROM uploads))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Any request, its URI and body sent as given, from this site's own pages, each from an
/// address of its own (so that the sign-in throttle counts names, not this one machine).
pub async fn send_raw(
    site: &Site,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::USER_AGENT, BROWSER)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    static NEXT_ADDRESS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let address = std::net::Ipv4Addr::from(
        0x0a00_0000 | NEXT_ADDRESS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
    );
    match request.body(Body::from(body)) {
        Ok(mut request) => {
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from((address, 40000)),
            ));
            site.send(request).await
        }
        // A URI no client could send (the HTTP parser refuses it first).
        Err(_) => Reply {
            status: StatusCode::BAD_REQUEST,
            headers: http::HeaderMap::new(),
            body: "无效的请求地址".into(),
        },
    }
}

/// The first bytes of a PNG: what the upload check, which types files by content, reads.
pub fn tiny_png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec()
}
