//! Writes of an import from an old site: everything in the caller's transaction, with the
//! old id of each thing remembered so that a rerun updates instead of duplicating.

use super::store::{Exec, on_backend};

use crate::model::{ArticleForm, ArticleStatus, CategoryKind, SiteSettings};

/// What an earlier import of the same old thing left.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Origin {
    pub new_id: i64,
    pub fingerprint: String,
    pub version: i64,
}

pub async fn origin(
    db: impl Into<Exec<'_>>,
    site: &str,
    kind: &str,
    old_id: &str,
) -> sqlx::Result<Option<Origin>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(
            "SELECT new_id, fingerprint, version FROM import_origins
             WHERE site = $1 AND kind = $2 AND old_id = $3",
        )
        .bind(site)
        .bind(kind)
        .bind(old_id)
        .fetch_optional(&mut *conn)
        .await
    })
}

pub async fn remember(
    db: impl Into<Exec<'_>>,
    site: &str,
    kind: &str,
    old_id: &str,
    origin: &Origin,
) -> sqlx::Result<()> {
    on_backend!(db, |conn, sql| {
        sqlx::query(
            "INSERT INTO import_origins (site, kind, old_id, new_id, fingerprint, version)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (site, kind, old_id) DO UPDATE SET new_id = excluded.new_id,
                 fingerprint = excluded.fingerprint, version = excluded.version",
        )
        .bind(site)
        .bind(kind)
        .bind(old_id)
        .bind(origin.new_id)
        .bind(&origin.fingerprint)
        .bind(origin.version)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// A category as the import makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedCategory {
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub position: i64,
    pub kind: CategoryKind,
    pub description: String,
    pub page_body: String,
    pub show_in_nav: bool,
}

pub async fn slug_taken(db: impl Into<Exec<'_>>, slug: &str) -> sqlx::Result<bool> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM categories WHERE slug = $1)")
            .bind(slug)
            .fetch_one(&mut *conn)
            .await
    })
}

pub async fn insert_category(
    db: impl Into<Exec<'_>>,
    category: &ImportedCategory,
) -> sqlx::Result<i64> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar(
            "INSERT INTO categories (parent_id, slug, name, position, kind, description, page_body,
                                     show_in_nav)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(category.parent_id)
        .bind(&category.slug)
        .bind(&category.name)
        .bind(category.position)
        .bind(category.kind)
        .bind(&category.description)
        .bind(&category.page_body)
        .bind(category.show_in_nav)
        .fetch_one(&mut *conn)
        .await
    })
}

/// Updates what the old site owns of a category; its slug stays (addresses were given out).
/// `false` when the category is no longer there.
pub async fn update_category(
    db: impl Into<Exec<'_>>,
    id: i64,
    category: &ImportedCategory,
) -> sqlx::Result<bool> {
    on_backend!(db, |conn, sql| {
        sqlx::query(&format!(
            "UPDATE categories SET parent_id = $1, name = $2, position = $3, kind = $4, description = $5,
                    page_body = $6, show_in_nav = $7, updated_at = {}
             WHERE id = $8",
            sql.now
        ))
        .bind(category.parent_id)
        .bind(&category.name)
        .bind(category.position)
        .bind(category.kind)
        .bind(&category.description)
        .bind(&category.page_body)
        .bind(category.show_in_nav)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|done| done.rows_affected() > 0)
    })
}

pub async fn category_slug(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<String>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar("SELECT slug FROM categories WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// An article as the import makes it: the editors' form plus what only an import sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedArticle {
    pub form: ArticleForm,
    pub status: ArticleStatus,
    pub published_at: Option<i64>,
    pub view_count: i64,
    pub created_at: i64,
    /// The revision's note.
    pub note: String,
}

/// A new article with its first revision, indexed for search; returns its id.
pub async fn insert_article(
    db: impl Into<Exec<'_>>,
    article: &ImportedArticle,
) -> sqlx::Result<i64> {
    on_backend!(db, |conn, sql| {
        let insert = format!(
            "INSERT INTO articles (id, category_id, title, subtitle, source, author, info_source,
                 info_source_url, summary, body, cover_image, is_headline, is_recommended,
                 status, published_at, view_count, created_at, updated_at)
             VALUES ({new_id}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                     $16, $16)
             RETURNING id",
            new_id = sql.new_article_id
        );
        let id: i64 = bind_article!(sqlx::query_scalar(&insert), article,)
            .bind(article.created_at)
            .fetch_one(&mut *conn)
            .await?;
        keep_revision(&mut *conn, id, 1, article).await?;
        Ok(id)
    })
}

/// The article's current version, if it still exists.
pub async fn article_version(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<i64>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar("SELECT version FROM articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// Stores a newer import over the article as a new version with its revision; the view
/// count never goes down. Returns the new version.
pub async fn update_article(
    db: impl Into<Exec<'_>>,
    id: i64,
    article: &ImportedArticle,
) -> sqlx::Result<i64> {
    on_backend!(db, |conn, sql| {
        let version: i64 = bind_article!(
            sqlx::query_scalar(&format!(
                "UPDATE articles SET category_id = $1, title = $2, subtitle = $3, source = $4,
                     author = $5, info_source = $6, info_source_url = $7, summary = $8, body = $9,
                     cover_image = $10, is_headline = $11, is_recommended = $12, status = $13,
                     published_at = $14, view_count = {greatest}(view_count, $15), version = version + 1,
                     updated_at = {now}
                 WHERE id = $16 RETURNING version",
                greatest = sql.greatest,
                now = sql.now
            )),
            article,
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        keep_revision(&mut *conn, id, version, article).await?;
        Ok(version)
    })
}

/// Binds the article as $1 to $15, the order both the insert and the update use.
macro_rules! bind_article {
    ($query:expr, $article:expr $(,)?) => {
        $query
            .bind($article.form.category_id)
            .bind(&$article.form.title)
            .bind(&$article.form.subtitle)
            .bind(&$article.form.source)
            .bind(&$article.form.author)
            .bind(&$article.form.info_source)
            .bind(&$article.form.info_source_url)
            .bind(&$article.form.summary)
            .bind(&$article.form.body)
            .bind(&$article.form.cover_image)
            .bind($article.form.is_headline)
            .bind($article.form.is_recommended)
            .bind($article.status)
            .bind($article.published_at)
            .bind($article.view_count)
    };
}
use bind_article;

async fn keep_revision(
    db: impl Into<Exec<'_>>,
    id: i64,
    version: i64,
    article: &ImportedArticle,
) -> sqlx::Result<()> {
    on_backend!(db, |conn, sql| {
        let snapshot = serde_json::to_string(&article.form)
            .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
        sqlx::query(
            "INSERT INTO article_revisions (article_id, version, snapshot, note) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(version)
        .bind(snapshot)
        .bind(&article.note)
        .execute(&mut *conn)
        .await?;
        super::search::reindex_article(&mut *conn, id).await
    })
}

/// Replaces the body of an article whose links to old addresses were pointed at their new
/// ones, without a new version: the content is what was imported.
pub async fn relink_body(db: impl Into<Exec<'_>>, id: i64, body: &str) -> sqlx::Result<()> {
    on_backend!(db, |conn, sql| {
        sqlx::query("UPDATE articles SET body = $1 WHERE id = $2")
            .bind(body)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        super::search::reindex_article(&mut *conn, id).await
    })
}

pub async fn article_body(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<String> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar("SELECT body FROM articles WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
    })
}

/// Fills the site settings the site has left empty; what an administrator set here stays.
/// Returns how many settings were filled.
pub async fn fill_settings(db: impl Into<Exec<'_>>, settings: &SiteSettings) -> sqlx::Result<u64> {
    on_backend!(db, |conn, sql| {
        let mut filled = 0;
        for (column, value) in [
            ("name", &settings.name),
            ("description", &settings.description),
            ("icp_number", &settings.icp_number),
            ("copyright", &settings.copyright),
            ("email", &settings.email),
            ("phone", &settings.phone),
            ("address", &settings.address),
        ] {
            if value.trim().is_empty() {
                continue;
            }
            // The column name comes from the list above, never from the dump.
            filled += sqlx::query(&format!(
                "UPDATE site_settings SET {column} = $1, updated_at = {now}
                 WHERE id = 1 AND {column} = ''",
                now = sql.now
            ))
            .bind(value.trim())
            .execute(&mut *conn)
            .await?
            .rows_affected();
        }
        Ok(filled)
    })
}

/// The stored name of an upload with these contents, if there is one.
pub async fn upload_with_checksum(
    db: impl Into<Exec<'_>>,
    sha256: &str,
) -> sqlx::Result<Option<String>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar("SELECT stored_name FROM uploads WHERE sha256 = $1 ORDER BY id LIMIT 1")
            .bind(sha256)
            .fetch_optional(&mut *conn)
            .await
    })
}

pub async fn insert_upload(
    db: impl Into<Exec<'_>>,
    upload: &super::uploads::NewUpload<'_>,
) -> sqlx::Result<i64> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar(
            "INSERT INTO uploads (stored_name, original_name, content_type, size_bytes, sha256)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(upload.stored_name)
        .bind(upload.original_name)
        .bind(upload.content_type)
        .bind(upload.size_bytes)
        .bind(upload.sha256)
        .fetch_one(&mut *conn)
        .await
    })
}
