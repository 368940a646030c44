//! `/admin/uploads`: upload an image or attachment (a plain multipart form, so it works
//! without JavaScript) and copy the addresses of recent uploads.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::notices::LoadError;
use crate::api::list_uploads;
use crate::model::UploadRow;

#[component]
pub fn Uploads() -> impl IntoView {
    let query = use_query_map();
    let outcome = move || query.with(|q| (q.get("uploaded"), q.get("error")));
    let uploads = Resource::new(move || outcome().0, |_| list_uploads());
    view! {
        {move || match outcome() {
            (Some(url), _) => Some(view! { <p class="form-done" role="status">{format!("上传成功,地址:{url}")}</p> }.into_any()),
            (_, Some(error)) => Some(view! { <p class="form-error" role="alert">{error}</p> }.into_any()),
            _ => None,
        }}
        // A full page load, not a client-side navigation: the answer is a redirect.
        <form method="post" action="/admin/uploads" enctype="multipart/form-data" class="admin-form row-form">
            <label>"选择文件" <input type="file" name="file" required accept="image/jpeg,image/png,image/webp,image/gif,.pdf,.doc,.docx,.xls,.xlsx"/></label>
            <button type="submit">"上传"</button>
        </form>
        <p class="hint">"可上传 JPEG、PNG、WebP、GIF 图片和 PDF、Word、Excel 文件。"</p>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match uploads.await {
                    Ok(rows) => view! { <UploadTable rows/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UploadTable(rows: Vec<UploadRow>) -> impl IntoView {
    view! {
        <table class="admin-table">
            <thead>
                <tr>
                    <th scope="col">"文件"</th>
                    <th scope="col">"地址"</th>
                    <th scope="col">"大小"</th>
                    <th scope="col">"上传时间"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let href = row.href();
                    let preview = row.is_image().then(|| view! { <img src=href.clone() alt=row.original_name.clone() class="thumb"/> });
                    let source = (!row.source_url.is_empty())
                        .then(|| view! { <small class="source-note">{format!("复制自 {}", row.source_url)}</small> });
                    view! {
                        <tr>
                            <td>{preview} {row.original_name.clone()} {source}</td>
                            <td><a href=href.clone() rel="external">{href.clone()}</a></td>
                            <td>{format!("{:.1} KB", row.size_bytes as f64 / 1024.0)}</td>
                            <td>{row.created}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
