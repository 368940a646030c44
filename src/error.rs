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
    /// 404.
    #[error("您要找的内容不存在或已被删除")]
    NotFound,
    /// 429: too many requests from one address.
    #[error("您的操作过于频繁,请一分钟后再试")]
    RateLimited,
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
            AppError::NotFound => 404,
            AppError::RateLimited => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                AppError::BadRequest(format!("请求参数有误:{message}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
