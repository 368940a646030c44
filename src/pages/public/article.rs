use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::NotFound;
use crate::api::get_article;
use crate::components::{
    ArticleList, Breadcrumb, ErrorNotice, NewsArticleData, PageMeta, body_html, use_chrome,
    without_body,
};
use crate::model::{ArticleDetail, ArticlePage as Page, Neighbour, SiteChrome};

/// `/article/{id}`: one published article.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let chrome = use_chrome();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let article = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_article(id).await.map(|page| page.map(without_body)),
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match (chrome.await, article.await) {
                    (Ok(chrome), Ok(Some(page))) => view! { <ArticleView chrome page/> }.into_any(),
                    (Ok(_), Ok(None)) => view! { <NotFound/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The article and its surroundings, as visitors see it; editors' previews show the same.
#[component]
pub fn ArticleView(chrome: SiteChrome, page: Page) -> impl IntoView {
    let Page {
        article,
        path,
        previous,
        next,
        related,
    } = page;
    let description = if article.summary.is_empty() {
        article.title.clone()
    } else {
        article.summary.clone()
    };
    let section = path
        .last()
        .map(|category| category.name.clone())
        .unwrap_or_default();
    let data = view! { <NewsArticleData chrome=chrome.clone() article=article.clone()/> };
    view! {
        {data}
        <PageMeta
            chrome
            title=format!("{} - {section}", article.title)
            description
            path=format!("/article/{}", article.id)
            published_time=article.published_iso.clone()
        />
        <Breadcrumb path/>
        <ArticleBody article/>
        <nav class="neighbours" aria-label="上一篇和下一篇">
            <NeighbourLink label="上一篇" neighbour=previous/>
            <NeighbourLink label="下一篇" neighbour=next/>
        </nav>
        <section class="related" aria-labelledby="related-title">
            <h2 id="related-title">"相关文章"</h2>
            <ArticleList articles=related/>
        </section>
    }
}

#[component]
fn ArticleBody(article: ArticleDetail) -> impl IntoView {
    let body = body_html(&article);
    let info_source = (!article.info_source.is_empty()).then(|| {
        let name = article.info_source.clone();
        match (!article.info_source_url.is_empty()).then(|| article.info_source_url.clone()) {
            Some(url) => view! {
                <p class="info-source">"信息来源:" <a href=url rel="noopener">{name}</a></p>
            }
            .into_any(),
            None => view! { <p class="info-source">{format!("信息来源:{name}")}</p> }.into_any(),
        }
    });
    view! {
        <article class="article">
            <header>
                <h1>{article.title}</h1>
                {(!article.subtitle.is_empty())
                    .then(|| view! { <p class="subtitle">{article.subtitle}</p> })}
                <p class="article-meta">
                    <span>{format!("来源:{}", article.source)}</span>
                    <span>
                        "发布日期:"
                        <time datetime=article.published_iso>{article.published}</time>
                    </span>
                    // The page cache finds the count by its class (`view_patch`).
                    <span class="views">{format!("浏览量:{}", article.view_count)}</span>
                </p>
            </header>
            <div class="article-body" inner_html=body></div>
            {info_source}
        </article>
    }
}

#[component]
fn NeighbourLink(label: &'static str, neighbour: Option<Neighbour>) -> impl IntoView {
    view! {
        <p>
            {format!("{label}:")}
            {match neighbour {
                Some(n) => {
                    let href = n.href();
                    view! { <a href=href>{n.title}</a> }.into_any()
                }
                None => view! { <span>"没有了"</span> }.into_any(),
            }}
        </p>
    }
}
