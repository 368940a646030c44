//! The one error type that server functions return to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, in words a visitor or an editor can act on. Internal details are logged
/// on the server and never sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// 400: the request itself is wrong; the message names what.
    #[error("{0}")]
    BadRequest(String),
    /// 401: the request needs a signed-in editor.
    #[error("请先登录")]
    Unauthorized,
    /// 403: the signed-in user may not do this, or the request came from another site.
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("您要找的内容不存在或已被删除")]
    NotFound,
    /// 429: too many requests from one address.
    #[error("您的操作过于频繁,请一分钟后再试")]
    RateLimited,
    /// 409: someone else saved first; the message names who and when.
    #[error("{0}")]
    Conflict(String),
    /// 429 with its own explanation (sign-in attempts).
    #[error("{0}")]
    TooManyAttempts(String),
    /// 503: the server cannot store anything now (disk full, database read-only); reading
    /// still works. The message says so.
    #[error("{0}")]
    Unavailable(String),
    /// 500: logged on the server.
    #[error("服务器暂时无法处理您的请求,请稍后再试")]
    Internal,
    /// The request did not reach the server function or its answer could not be read.
    #[error("网络连接出现问题,请稍后再试")]
    Transport(String),
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::RateLimited | AppError::TooManyAttempts(_) => 429,
            AppError::Unavailable(_) => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl AppError {
    /// The usual refusal of an under-privileged call.
    pub fn forbidden() -> AppError {
        AppError::Forbidden("您没有权限进行此操作".into())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The parser's own words are English and technical; the form's limits and
            // types (numbers, dates) are what the editor can act on.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest("提交的内容格式不正确,请检查数字、日期等字段后重试".into())
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
