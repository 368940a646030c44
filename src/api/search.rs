//! Site search over published articles.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{SearchParams, SearchResults};

/// Searches published articles. `None` when the page number is past the last page.
#[server(endpoint = "search", input = GetUrl)]
pub async fn search_articles(
    params: SearchParams,
    page: i64,
) -> Result<Option<SearchResults>, AppError> {
    use crate::db::{categories, search};
    use crate::model::{
        CategoryLink, MAX_QUERY_CHARS, MAX_RANKED, Pagination, SEARCH_PAGE_SIZE, SearchHit, is_date,
    };
    use crate::search::query::{Prepared, prepare};
    use crate::search::snippet::{excerpt, highlight, matching_field, plain_text};
    use crate::server::clock::unix_now;
    use crate::server::state::app_state;

    /// Characters of article text in a result's excerpt.
    const EXCERPT_CHARS: usize = 120;

    /// A short field shown as `label:value`, or nothing when it is empty.
    fn labelled(label: &str, value: &str) -> String {
        if value.is_empty() {
            String::new()
        } else {
            format!("{label}:{value}")
        }
    }

    let state = app_state()?;
    let pool = state.pool.clone();
    let now = unix_now();
    let mut notices = Vec::new();
    let mut filter = search::Filter::default();
    if !params.category.is_empty() {
        match categories::find_by_slug(&pool, &params.category).await? {
            Some(category) => filter.category_id = Some(category.id),
            None => notices.push("没有找到所选栏目,已在全站搜索。".to_string()),
        }
    }
    for (label, value, slot) in [
        ("开始日期", &params.from, &mut filter.from),
        ("结束日期", &params.until, &mut filter.until),
    ] {
        if is_date(value) {
            *slot = Some(value.clone());
        } else if !value.is_empty() {
            notices.push(format!("{label}应写作“年-月-日”,如 2020-10-23,已忽略。"));
        }
    }
    if params.q.chars().count() > MAX_QUERY_CHARS {
        notices.push(format!("搜索词过长,只按前 {MAX_QUERY_CHARS} 个字搜索。"));
    }
    let (expression, highlights) = match prepare(&params.q) {
        Prepared::Match {
            expression,
            highlights,
        } => (expression, highlights),
        Prepared::Empty => {
            if !params.q.trim().is_empty() {
                notices.push("搜索词中没有可搜索的文字,请输入中文词语、英文单词或数字。".into());
            }
            return Ok(Some(SearchResults {
                notices,
                hits: Vec::new(),
                pagination: None,
                more: false,
            }));
        }
        Prepared::TooShort => {
            notices.push("请至少输入两个汉字(如“政策”),或一个英文单词、数字。".into());
            return Ok(Some(SearchResults {
                notices,
                hits: Vec::new(),
                pagination: None,
                more: false,
            }));
        }
    };
    let total = search::count(&pool, &expression, &filter, MAX_RANKED).await?;
    let more = total > MAX_RANKED;
    let Some(pagination) = Pagination::new(page, total.min(MAX_RANKED), SEARCH_PAGE_SIZE) else {
        return Ok(None);
    };
    // Only searches that found something count towards 热门搜索, so that nonsense typed
    // (or flooded) into the box never shows up on the site.
    if page == 1 && total > 0 {
        let logged: String = params.q.split_whitespace().collect::<Vec<_>>().join(" ");
        let logged: String = logged.chars().take(MAX_QUERY_CHARS).collect();
        state.search_log.push(logged.clone(), now);
        // A page served from memory later logs the same search again.
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&crate::model::encode(&logged)),
        ) {
            response.insert_header(
                http::HeaderName::from_static(crate::server::audience::hot_queries::LOGGED_HEADER),
                value,
            );
        }
    }
    let hits = search::search(
        &pool,
        &expression,
        &filter,
        MAX_RANKED,
        SEARCH_PAGE_SIZE,
        pagination.offset(),
    )
    .await?
    .into_iter()
    .map(|hit| {
        let body = plain_text(&hit.body);
        let info_source = labelled("信息来源", &hit.info_source);
        let author = labelled("作者", &hit.author);
        let text = matching_field(&[&hit.summary, &body, &info_source, &author], &highlights);
        SearchHit {
            id: hit.id,
            title_html: highlight(&hit.title, &highlights),
            excerpt_html: excerpt(text, &highlights, EXCERPT_CHARS),
            published: hit.published,
            category: CategoryLink {
                id: hit.category_id,
                slug: hit.category_slug,
                name: hit.category_name,
            },
        }
    })
    .collect();
    Ok(Some(SearchResults {
        notices,
        hits,
        pagination: Some(pagination),
        more,
    }))
}
