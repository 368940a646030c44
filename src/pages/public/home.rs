use leptos::prelude::*;

use crate::api::get_home;
use crate::components::{ArticleList, ErrorNotice, PageMeta, use_chrome};
use crate::model::{ArticleSummary, HomePage as Home, HomeSection};

#[component]
pub fn HomePage() -> impl IntoView {
    let chrome = use_chrome();
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match (chrome.await, home.await) {
                    (Ok(chrome), Ok(home)) => {
                        let description = chrome.settings.description.clone();
                        view! {
                            <PageMeta chrome description path="/"/>
                            <HomeView home/>
                        }
                            .into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(home: Home) -> impl IntoView {
    view! {
        <h1 class="visually-hidden">"首页"</h1>
        <div class="home-top">
            <Headlines headlines=home.headlines/>
            <section class="panel recommended" aria-labelledby="recommended-title">
                <h2 id="recommended-title">"推荐阅读"</h2>
                <ArticleList articles=home.recommended/>
            </section>
        </div>
        <div class="home-sections">
            {home.sections.into_iter().map(|section| view! { <Section section/> }).collect_view()}
        </div>
    }
}

#[component]
fn Headlines(headlines: Vec<ArticleSummary>) -> impl IntoView {
    view! {
        <section class="panel headlines" aria-labelledby="headlines-title">
            <h2 id="headlines-title">"头条新闻"</h2>
            {headlines
                .into_iter()
                .map(|article| view! {
                    <article class="headline">
                        <h3>
                            <a href=article.href()>{article.title.clone()}</a>
                        </h3>
                        <p>{article.summary.clone()}</p>
                        <time datetime=article.published_date().to_string()>
                            {article.published.clone()}
                        </time>
                    </article>
                })
                .collect_view()}
        </section>
    }
}

#[component]
fn Section(section: HomeSection) -> impl IntoView {
    let title_id = format!("section-{}", section.category.slug);
    let labelled_by = title_id.clone();
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <div class="panel-heading">
                <h2 id=title_id>
                    <a href=section.category.href()>{section.category.name.clone()}</a>
                </h2>
                <a class="more" href=section.category.href()>
                    "更多"
                    <span class="visually-hidden">{section.category.name.clone()}</span>
                    " »"
                </a>
            </div>
            <ArticleList articles=section.articles/>
        </section>
    }
}
