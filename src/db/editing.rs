//! Articles as editors change them. Every change is one transaction that bumps the
//! article's version (refusing a stale one), keeps a revision and updates the search index.

use sqlx::Connection;

use super::StoreError;
use super::store::{Exec, on_backend};
use crate::model::{ArticleForm, ArticleStatus, EditableArticle};

/// What an editor's change makes of the article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub status: ArticleStatus,
    /// Unix seconds; `None` for an article never published.
    pub published_at: Option<i64>,
    pub review_note: String,
    /// The revision's note: what was done.
    pub note: String,
    pub editor_id: i64,
}

/// A new article with its first revision; returns its id.
pub async fn create(
    db: impl Into<Exec<'_>>,
    form: &ArticleForm,
    change: &Change,
) -> Result<i64, StoreError> {
    on_backend!(db, |conn, sql| {
        let mut tx = conn.begin().await?;
        let insert = format!(
            "INSERT INTO articles (id, category_id, title, subtitle, source, author, info_source,
                 info_source_url, summary, body, cover_image, is_headline, is_recommended,
                 is_pinned, status, published_at, review_note, author_id)
             VALUES ({new_id}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                     $16, $17)
             RETURNING id",
            new_id = sql.new_article_id
        );
        let id: i64 = bind_fields!(sqlx::query_scalar(&insert), form, change)
            .bind(change.editor_id)
            .fetch_one(&mut *tx)
            .await?;
        finish(&mut tx, id, 1, form, change).await?;
        tx.commit().await?;
        Ok(id)
    })
}

/// Stores `form` over the article if it is still at `version`; returns the new version.
pub async fn update(
    db: impl Into<Exec<'_>>,
    id: i64,
    version: i64,
    form: &ArticleForm,
    change: &Change,
) -> Result<i64, StoreError> {
    on_backend!(db, |conn, sql| {
        let mut tx = conn.begin().await?;
        let updated: Option<i64> = bind_fields!(
            sqlx::query_scalar(&format!(
                "UPDATE articles SET category_id = $1, title = $2, subtitle = $3, source = $4,
                     author = $5, info_source = $6, info_source_url = $7, summary = $8,
                     body = $9, cover_image = $10, is_headline = $11, is_recommended = $12,
                     is_pinned = $13, status = $14, published_at = $15, review_note = $16,
                     version = version + 1, updated_at = {}
                 WHERE id = $17 AND version = $18 RETURNING version",
                sql.now
            )),
            form,
            change
        )
        .bind(id)
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(new_version) = updated else {
            return Err(why_not_updated(&mut tx, id).await);
        };
        finish(&mut tx, id, new_version, form, change).await?;
        tx.commit().await?;
        Ok(new_version)
    })
}

/// Moves the article through the workflow without touching its fields (review, archive).
pub async fn set_status(
    db: impl Into<Exec<'_>>,
    id: i64,
    version: i64,
    change: &Change,
) -> Result<i64, StoreError> {
    on_backend!(db, |conn, _sql| {
        let Some(article) = find(&mut *conn, id).await? else {
            return Err(StoreError::NotFound(format!("没有编号为 {id} 的文章")));
        };
        update(&mut *conn, id, version, &article.form, change).await
    })
}

async fn finish(
    db: impl Into<Exec<'_>>,
    id: i64,
    version: i64,
    form: &ArticleForm,
    change: &Change,
) -> Result<(), StoreError> {
    let snapshot =
        serde_json::to_string(form).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    on_backend!(db, |conn, _sql| {
        sqlx::query(
            "INSERT INTO article_revisions (article_id, version, snapshot, note, editor_id)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(version)
        .bind(&snapshot)
        .bind(&change.note)
        .bind(change.editor_id)
        .execute(&mut *conn)
        .await?;
        super::search::reindex_article(&mut *conn, id).await?;
    });
    Ok(())
}

async fn why_not_updated(db: impl Into<Exec<'_>>, id: i64) -> StoreError {
    let last: sqlx::Result<Option<(String, String)>> = async {
        on_backend!(db, |conn, sql| {
            sqlx::query_as(&format!(
                "SELECT coalesce(nullif(u.display_name, ''), u.username, '另一位编辑'), {}
                 FROM articles a
                 LEFT JOIN article_revisions r ON r.article_id = a.id AND r.version = a.version
                 LEFT JOIN users u ON u.id = r.editor_id WHERE a.id = $1",
                sql.shanghai_minutes("r.created_at")
            ))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
        })
    }
    .await;
    match last {
        Ok(Some((by, at))) => StoreError::Stale { by, at },
        Ok(None) => StoreError::NotFound(format!("没有编号为 {id} 的文章")),
        Err(error) => StoreError::from(error),
    }
}

/// Binds the article's fields as $1 to $16, the order both the insert and the update use.
macro_rules! bind_fields {
    ($query:expr, $form:expr, $change:expr) => {
        $query
            .bind($form.category_id)
            .bind($form.title.trim())
            .bind($form.subtitle.trim())
            .bind(source_or_default(&$form.source))
            .bind($form.author.trim())
            .bind($form.info_source.trim())
            .bind($form.info_source_url.trim())
            .bind($form.summary.trim())
            .bind(&$form.body)
            .bind($form.cover_image.trim())
            .bind($form.is_headline)
            .bind($form.is_recommended)
            .bind($form.is_pinned)
            .bind($change.status)
            .bind($change.published_at)
            .bind(&$change.review_note)
    };
}
use bind_fields;

fn source_or_default(source: &str) -> &str {
    match source.trim() {
        "" => "本站",
        source => source,
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    version: i64,
    status: ArticleStatus,
    scheduled: bool,
    review_note: String,
    author_id: Option<i64>,
    category_id: i64,
    title: String,
    subtitle: String,
    source: String,
    author: String,
    info_source: String,
    info_source_url: String,
    summary: String,
    cover_image: String,
    is_headline: bool,
    is_recommended: bool,
    is_pinned: bool,
    publish_at: String,
    body: String,
    last_saved_by: String,
    last_saved: String,
}

pub async fn find(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<EditableArticle>> {
    let row: Option<Row> = on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "SELECT a.id, a.version, a.status,
                    a.status = 'published' AND a.published_at > {now} AS scheduled,
                    a.review_note, a.author_id, a.category_id, a.title, a.subtitle, a.source,
                    a.author, a.info_source, a.info_source_url, a.summary, a.cover_image,
                    a.is_headline, a.is_recommended, a.is_pinned,
                    coalesce({publish_at}, '') AS publish_at,
                    a.body,
                    coalesce(nullif(u.display_name, ''), u.username, '') AS last_saved_by,
                    {last_saved} AS last_saved
             FROM articles a
             LEFT JOIN article_revisions r ON r.article_id = a.id AND r.version = a.version
             LEFT JOIN users u ON u.id = r.editor_id
             WHERE a.id = $1",
            now = sql.now,
            publish_at = sql.shanghai_input("a.published_at"),
            last_saved = sql.shanghai_minutes("a.updated_at"),
        ))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|row| EditableArticle {
        id: row.id,
        version: row.version,
        status: row.status,
        scheduled: row.scheduled,
        review_note: row.review_note,
        author_id: row.author_id,
        last_saved_by: row.last_saved_by,
        last_saved: row.last_saved,
        form: ArticleForm {
            title: row.title,
            subtitle: row.subtitle,
            category_id: row.category_id,
            source: row.source,
            author: row.author,
            info_source: row.info_source,
            info_source_url: row.info_source_url,
            summary: row.summary,
            cover_image: row.cover_image,
            is_headline: row.is_headline,
            is_recommended: row.is_recommended,
            is_pinned: row.is_pinned,
            publish_at: row.publish_at,
            body: row.body,
        },
    }))
}

/// Removes the article for good, with its revisions.
/// Its index entry goes with it (a trigger on SQLite, the foreign key on PostgreSQL).
pub async fn delete(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<bool> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM articles WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map(|done| done.rows_affected() == 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;
    use crate::db::articles;
    use crate::db::testing::{execute, number, on_each_backend};
    use crate::db::users::test_hash as hash;
    use crate::model::Role;

    async fn setup(pool: &Store) -> (i64, i64) {
        execute(
            pool,
            "INSERT INTO categories (id, slug, name) VALUES (5, 'members', '会员风采')",
        )
        .await;
        let category = 5;
        let editor = crate::db::users::create(
            pool,
            "editor",
            Role::Editor,
            &hash("一个足够长的密码").unwrap(),
        )
        .await
        .unwrap();
        (category, editor)
    }

    fn form(category_id: i64, title: &str) -> ArticleForm {
        ArticleForm {
            title: title.into(),
            category_id,
            body: "<p>正文</p>".into(),
            ..ArticleForm::default()
        }
    }

    fn change(status: ArticleStatus, published_at: Option<i64>, editor_id: i64) -> Change {
        Change {
            status,
            published_at,
            review_note: String::new(),
            note: "保存".into(),
            editor_id,
        }
    }

    async fn now(pool: &Store) -> i64 {
        number(pool, &format!("SELECT {}", pool.backend().dialect().now)).await
    }

    #[tokio::test]
    async fn a_deleted_articles_number_is_never_given_to_another() {
        on_each_backend(async |store| {
            let pool = store;
            let (category, editor) = setup(&pool).await;
            let draft = || change(ArticleStatus::Draft, None, editor);
            let first = create(&pool, &form(category, "第一篇"), &draft())
                .await
                .unwrap();
            let newest = create(&pool, &form(category, "最新一篇"), &draft())
                .await
                .unwrap();
            assert!(delete(&pool, newest).await.unwrap());
            let next = create(&pool, &form(category, "下一篇"), &draft())
                .await
                .unwrap();
            assert!(next > newest, "{first} {newest} {next}");
            // Nor to an imported one.
            assert!(delete(&pool, next).await.unwrap());
            let article = crate::db::imports::ImportedArticle {
                form: form(category, "导入的一篇"),
                status: ArticleStatus::Draft,
                published_at: None,
                view_count: 0,
                created_at: now(&pool).await,
                note: "导入".into(),
            };
            let imported = crate::db::imports::insert_article(&pool, &article)
                .await
                .unwrap();
            assert!(imported > next, "{next} {imported}");
        })
        .await;
    }

    #[tokio::test]
    async fn every_save_keeps_a_revision() {
        on_each_backend(async |store| {
            let pool = store;
            let (category, editor) = setup(&pool).await;
            let id = create(
                &pool,
                &form(category, "第一版"),
                &change(ArticleStatus::Draft, None, editor),
            )
            .await
            .unwrap();
            let version = update(
                &pool,
                id,
                1,
                &form(category, "第二版"),
                &change(ArticleStatus::Draft, None, editor),
            )
            .await
            .unwrap();
            assert_eq!(version, 2);
            let revisions = crate::db::revisions::list_revisions(&pool, id)
                .await
                .unwrap();
            assert_eq!(
                revisions.iter().map(|r| r.version).collect::<Vec<_>>(),
                [2, 1]
            );
            assert!(revisions.iter().all(|r| r.editor == "editor"));
            let (_, first) = crate::db::revisions::snapshot(&pool, id, revisions[1].id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(first.title, "第一版");
            let article = find(&pool, id).await.unwrap().unwrap();
            assert_eq!(
                (article.version, article.form.title.as_str()),
                (2, "第二版")
            );
            assert_eq!(article.author_id, Some(editor));
        })
        .await;
    }

    #[tokio::test]
    async fn a_stale_version_is_refused_naming_who_saved() {
        on_each_backend(async |store| {
            let pool = store;
            let (category, editor) = setup(&pool).await;
            let id = create(
                &pool,
                &form(category, "初稿"),
                &change(ArticleStatus::Draft, None, editor),
            )
            .await
            .unwrap();
            update(
                &pool,
                id,
                1,
                &form(category, "甲改"),
                &change(ArticleStatus::Draft, None, editor),
            )
            .await
            .unwrap();
            let stale = update(
                &pool,
                id,
                1,
                &form(category, "乙改"),
                &change(ArticleStatus::Draft, None, editor),
            )
            .await;
            assert!(
                matches!(stale, Err(StoreError::Stale { ref by, .. }) if by == "editor"),
                "{stale:?}"
            );
            assert_eq!(find(&pool, id).await.unwrap().unwrap().form.title, "甲改");
            assert_eq!(
                update(
                    &pool,
                    999,
                    1,
                    &form(category, "x"),
                    &change(ArticleStatus::Draft, None, editor)
                )
                .await,
                Err(StoreError::NotFound("没有编号为 999 的文章".into()))
            );
        })
        .await;
    }

    #[tokio::test]
    async fn drafts_are_hidden_and_published_articles_indexed() {
        on_each_backend(async |store| {
            let pool = store;
            let (category, editor) = setup(&pool).await;
            let id = create(
                &pool,
                &form(category, "会员活动"),
                &change(ArticleStatus::Draft, None, editor),
            )
            .await
            .unwrap();
            assert!(articles::find_visible(&pool, id).await.unwrap().is_none());
            let indexed = async || number(&pool, "SELECT count(*) FROM article_search").await;
            assert_eq!(indexed().await, 0);
            let published = now(&pool).await - 60;
            set_status(
                &pool,
                id,
                1,
                &change(ArticleStatus::Published, Some(published), editor),
            )
            .await
            .unwrap();
            assert!(articles::find_visible(&pool, id).await.unwrap().is_some());
            assert_eq!(indexed().await, 1);
            set_status(
                &pool,
                id,
                2,
                &change(ArticleStatus::Archived, Some(published), editor),
            )
            .await
            .unwrap();
            assert!(articles::find_visible(&pool, id).await.unwrap().is_none());
            assert_eq!(indexed().await, 0);
            assert!(delete(&pool, id).await.unwrap());
            assert_eq!(
                crate::db::revisions::list_revisions(&pool, id)
                    .await
                    .unwrap()
                    .len(),
                0
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_scheduled_article_appears_at_its_time_by_itself() {
        on_each_backend(async |store| {
            let pool = store;
            let (category, editor) = setup(&pool).await;
            let at = now(&pool).await + 2;
            let id = create(
                &pool,
                &form(category, "定时"),
                &change(ArticleStatus::Published, Some(at), editor),
            )
            .await
            .unwrap();
            assert!(find(&pool, id).await.unwrap().unwrap().scheduled);
            assert!(articles::find_visible(&pool, id).await.unwrap().is_none());
            while now(&pool).await < at {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            assert!(
                articles::find_visible(&pool, id).await.unwrap().is_some(),
                "no step was needed"
            );
            assert!(!find(&pool, id).await.unwrap().unwrap().scheduled);
        })
        .await;
    }
}
