use leptos::prelude::*;

use crate::model::ArticleSummary;

/// Article titles with their dates, newest first.
#[component]
pub fn ArticleList(articles: Vec<ArticleSummary>) -> impl IntoView {
    if articles.is_empty() {
        return view! { <p class="empty">"暂无文章"</p> }.into_any();
    }
    view! {
        <ul class="article-list" aria-label="文章列表">
            {articles
                .into_iter()
                .map(|article| {
                    view! {
                        <li>
                            <a href=article.href()>{article.title.clone()}</a>
                            <time datetime=article.published_date().to_string()>
                                {article.published_date().to_string()}
                            </time>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
