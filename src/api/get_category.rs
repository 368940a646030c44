use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::CategoryView;

/// A page of a category: its articles (with its descendants'), or its single page. `None`
/// when the category or the page number does not exist.
#[server(endpoint = "category", input = GetUrl)]
pub async fn get_category(slug: String, page: i64) -> Result<Option<CategoryView>, AppError> {
    use crate::db::{articles, categories};
    use crate::model::{CategoryKind, CategoryPage, PAGE_SIZE, Pagination};
    use crate::server::state::app_state;

    let pool = app_state()?.pool.clone();
    let Some(category) = categories::find_by_slug(&pool, &slug).await? else {
        return Ok(None);
    };
    let shown = match category.kind {
        CategoryKind::Page if page == 1 => CategoryPage::Single {
            body: category.page_body.clone(),
        },
        CategoryKind::Page => return Ok(None),
        CategoryKind::List => {
            let total = articles::count_in_tree(&pool, category.id).await?;
            let Some(pagination) = Pagination::new(page, total, PAGE_SIZE) else {
                return Ok(None);
            };
            CategoryPage::List {
                articles: articles::list_in_tree(
                    &pool,
                    category.id,
                    total,
                    PAGE_SIZE,
                    pagination.offset(),
                )
                .await?,
                pagination,
            }
        }
    };
    Ok(Some(CategoryView {
        category: category.link(),
        kind: category.kind,
        description: category.description.clone(),
        path: categories::path(&pool, category.id).await?,
        children: categories::children(&pool, category.id).await?,
        page: shown,
    }))
}
