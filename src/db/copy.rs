//! `gazette copy`: a whole site from one database to another, SQLite to PostgreSQL or back.
//!
//! Every table is read in key order and written in batches in one transaction on the
//! target, keeping every id, so that addresses, revisions and sessions stay what they were.
//! What the target derives itself is not copied but made there: the per-category counts
//! (its triggers keep them as articles arrive) and the search index (rebuilt at the end:
//! each backend indexes the same tokens its own way). The counts of every table are compared
//! at the end.

use sqlx::{Connection, QueryBuilder, Row};

use super::store::{Backend, Exec, Store, on_backend};

/// A column's type, as both schemas have it.
#[derive(Clone, Copy)]
enum Kind {
    Integer,
    MaybeInteger,
    Text,
    MaybeText,
    Flag,
}

use Kind::{Flag, Integer, MaybeInteger, MaybeText, Text};

/// A table to copy: its name, the columns that order its rows, and every column.
struct Table {
    name: &'static str,
    order: &'static str,
    columns: &'static [(&'static str, Kind)],
    /// Whether its `id` comes from a sequence on PostgreSQL, to move on past the copied ids.
    identity: bool,
}

/// In an order the foreign keys accept (categories' parents are set after all exist).
const TABLES: &[Table] = &[
    Table {
        name: "categories",
        order: "id",
        columns: &[
            ("id", Integer),
            ("slug", Text),
            ("name", Text),
            ("position", Integer),
            ("kind", Text),
            ("description", Text),
            ("page_body", Text),
            ("show_in_nav", Flag),
            ("created_at", Integer),
            ("updated_at", Integer),
        ],
        identity: true,
    },
    Table {
        name: "users",
        order: "id",
        columns: &[
            ("id", Integer),
            ("username", Text),
            ("display_name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("disabled", Flag),
            ("password_changed_at", Integer),
            ("created_at", Integer),
        ],
        identity: true,
    },
    Table {
        name: "sessions",
        order: "token_hash",
        columns: &[
            ("token_hash", Text),
            ("user_id", Integer),
            ("created_at", Integer),
            ("expires_at", Integer),
        ],
        identity: false,
    },
    Table {
        name: "articles",
        order: "id",
        columns: &[
            ("id", Integer),
            ("category_id", Integer),
            ("title", Text),
            ("subtitle", Text),
            ("source", Text),
            ("author", Text),
            ("info_source", Text),
            ("info_source_url", Text),
            ("summary", Text),
            ("body", Text),
            ("cover_image", Text),
            ("is_headline", Flag),
            ("is_recommended", Flag),
            ("is_pinned", Flag),
            ("status", Text),
            ("published_at", MaybeInteger),
            ("review_note", Text),
            ("author_id", MaybeInteger),
            ("view_count", Integer),
            ("version", Integer),
            ("created_at", Integer),
            ("updated_at", Integer),
        ],
        identity: true,
    },
    Table {
        name: "article_revisions",
        order: "id",
        columns: &[
            ("id", Integer),
            ("article_id", Integer),
            ("version", Integer),
            ("snapshot", Text),
            ("note", Text),
            ("editor_id", MaybeInteger),
            ("created_at", Integer),
        ],
        identity: true,
    },
    Table {
        name: "article_views",
        order: "article_id, visitor_key",
        columns: &[
            ("article_id", Integer),
            ("visitor_key", Text),
            ("viewed_at", Integer),
        ],
        identity: false,
    },
    Table {
        name: "article_autosaves",
        order: "article_id, user_id",
        columns: &[
            ("article_id", Integer),
            ("user_id", Integer),
            ("version", Integer),
            ("form", Text),
            ("saved_at", Integer),
        ],
        identity: false,
    },
    Table {
        name: "friendly_links",
        order: "id",
        columns: &[
            ("id", Integer),
            ("name", Text),
            ("url", Text),
            ("logo", Text),
            ("group_name", Text),
            ("position", Integer),
        ],
        identity: true,
    },
    Table {
        name: "uploads",
        order: "id",
        columns: &[
            ("id", Integer),
            ("stored_name", Text),
            ("original_name", Text),
            ("content_type", Text),
            ("size_bytes", Integer),
            ("sha256", Text),
            ("owner_id", MaybeInteger),
            ("created_at", Integer),
            ("source_url", Text),
        ],
        identity: true,
    },
    Table {
        name: "search_counts",
        order: "day, query",
        columns: &[
            ("day", Integer),
            ("query", Text),
            ("searches", Integer),
            ("last_at", Integer),
        ],
        identity: false,
    },
    Table {
        name: "redirects",
        order: "path",
        columns: &[
            ("path", Text),
            ("target", Text),
            ("origin", Text),
            ("created_at", Integer),
        ],
        identity: false,
    },
    Table {
        name: "import_origins",
        order: "site, kind, old_id",
        columns: &[
            ("site", Text),
            ("kind", Text),
            ("old_id", Text),
            ("new_id", Integer),
            ("fingerprint", Text),
            ("version", Integer),
        ],
        identity: false,
    },
    Table {
        name: "sign_in_failures",
        order: "key",
        columns: &[("key", Text), ("first_at", Integer), ("failures", Integer)],
        identity: false,
    },
    Table {
        name: "form_drafts",
        order: "key",
        columns: &[
            ("key", Text),
            ("owner", MaybeText),
            ("fields", Text),
            ("saved_at", Integer),
        ],
        identity: false,
    },
];

/// Rows read and written at a time: a few thousand bound values, well under either
/// backend's limit.
const BATCH: i64 = 200;

/// One value of a row, whichever backend it came from.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Integer(Option<i64>),
    Text(Option<String>),
    Flag(bool),
}

/// What a copy moved: each table's rows, as counted on both sides at the end.
#[derive(Debug, PartialEq)]
pub struct Copied {
    pub tables: Vec<(&'static str, i64)>,
    pub indexed: u64,
}

/// Copies every table of `from` into `to`, which must be empty (freshly migrated).
pub async fn copy(from: &Store, to: &Store) -> Result<Copied, String> {
    if holds_content(to)
        .await
        .map_err(|e| format!("无法读取目标数据库: {e}"))?
    {
        return Err("目标数据库不是空的(已有栏目、文章或账号);请换一个新建的空数据库".into());
    }
    let mut source = from
        .acquire()
        .await
        .map_err(|e| format!("无法读取源数据库: {e}"))?;
    let written = write_all(&mut source, to).await;
    written.map_err(|e| format!("复制失败,目标数据库未作改动: {e}"))?;
    let indexed = super::search::rebuild(to)
        .await
        .map_err(|e| format!("重建目标数据库的搜索索引失败: {e}"))?;
    if to.backend() == Backend::Postgres {
        // Statistics for the planner at once, not when autovacuum gets round to a table
        // that was empty a minute ago: without them a search walks every match.
        analyze(to)
            .await
            .map_err(|e| format!("无法为目标数据库收集统计信息: {e}"))?;
    }
    let mut tables = Vec::new();
    for table in TABLES {
        let count = |store| row_count(store, table.name);
        let (copied, kept) = (count(from).await, count(to).await);
        let (copied, kept) = (
            copied.map_err(|e| format!("无法核对 {}: {e}", table.name))?,
            kept.map_err(|e| format!("无法核对 {}: {e}", table.name))?,
        );
        if copied != kept {
            return Err(format!(
                "核对失败: {} 在源数据库有 {copied} 行,目标数据库有 {kept} 行",
                table.name
            ));
        }
        tables.push((table.name, kept));
    }
    Ok(Copied { tables, indexed })
}

/// Every table, in one transaction on the target.
async fn write_all(source: &mut super::store::Connection, to: &Store) -> sqlx::Result<()> {
    on_backend!(to, |target, sql| {
        let mut tx = target.begin().await?;
        copy_settings(&mut *source, &mut tx).await?;
        for table in TABLES {
            copy_table(&mut *source, &mut tx, table).await?;
        }
        set_parents(&mut *source, &mut tx).await?;
        if sql.backend == Backend::Postgres {
            for table in TABLES.iter().filter(|table| table.identity) {
                // The next id after the copied ones; the name is one of `TABLES`.
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'),
                                   coalesce((SELECT max(id) FROM {0}), 0) + 1, false)",
                    table.name
                ))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await
    })
}

async fn analyze(db: impl Into<Exec<'_>>) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("ANALYZE").execute(&mut *conn).await.map(|_| ())
    })
}

async fn holds_content(db: impl Into<Exec<'_>>) -> sqlx::Result<bool> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM categories) OR EXISTS (SELECT 1 FROM articles)
                 OR EXISTS (SELECT 1 FROM users)",
        )
        .fetch_one(&mut *conn)
        .await
    })
}

async fn row_count(db: impl Into<Exec<'_>>, table: &str) -> sqlx::Result<i64> {
    on_backend!(db, |conn, _sql| {
        // The name is one of `TABLES`.
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
    })
}

/// A page of a table's rows, in key order.
async fn read(
    db: impl Into<Exec<'_>>,
    table: &Table,
    offset: i64,
) -> sqlx::Result<Vec<Vec<Value>>> {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let query = format!(
        "SELECT {} FROM {} ORDER BY {} LIMIT {BATCH} OFFSET {offset}",
        columns.join(", "),
        table.name,
        table.order
    );
    on_backend!(db, |conn, _sql| {
        let rows = sqlx::query(&query).fetch_all(&mut *conn).await?;
        rows.iter()
            .map(|row| {
                table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, kind))| {
                        Ok(match kind {
                            Integer => Value::Integer(Some(row.try_get::<i64, _>(i)?)),
                            MaybeInteger => Value::Integer(row.try_get::<Option<i64>, _>(i)?),
                            Text => Value::Text(Some(row.try_get::<String, _>(i)?)),
                            MaybeText => Value::Text(row.try_get::<Option<String>, _>(i)?),
                            Flag => Value::Flag(row.try_get::<bool, _>(i)?),
                        })
                    })
                    .collect()
            })
            .collect()
    })
}

/// Copies one table, a batch at a time.
async fn copy_table(
    source: &mut super::store::Connection,
    target: impl Into<Exec<'_>>,
    table: &Table,
) -> sqlx::Result<()> {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let insert = format!("INSERT INTO {} ({}) ", table.name, columns.join(", "));
    on_backend!(target, |conn, _sql| {
        let mut offset = 0;
        loop {
            let rows = read(&mut *source, table, offset).await?;
            if rows.is_empty() {
                break;
            }
            let mut query = QueryBuilder::new(&insert);
            query.push_values(&rows, |mut values, row| {
                for value in row {
                    match value {
                        Value::Integer(number) => values.push_bind(*number),
                        Value::Text(text) => values.push_bind(text.clone()),
                        Value::Flag(flag) => values.push_bind(*flag),
                    };
                }
            });
            query.build().execute(&mut *conn).await?;
            offset += BATCH;
        }
        Ok(())
    })
}

/// The settings' one row, over the target's.
async fn copy_settings(
    source: &mut super::store::Connection,
    target: impl Into<Exec<'_>>,
) -> sqlx::Result<()> {
    let settings = super::site::settings(&mut *source).await?;
    super::site::save_settings(target, &settings).await
}

/// Each category's parent, once every category exists.
async fn set_parents(
    source: &mut super::store::Connection,
    target: impl Into<Exec<'_>>,
) -> sqlx::Result<()> {
    let tree = super::categories::tree(&mut *source).await?;
    on_backend!(target, |conn, _sql| {
        for (id, parent, _, _) in tree.iter().filter(|(_, parent, _, _)| parent.is_some()) {
            sqlx::query("UPDATE categories SET parent_id = $1 WHERE id = $2")
                .bind(parent)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{FreshPostgres, number};

    #[tokio::test]
    async fn a_site_goes_to_postgresql_and_back_whole() {
        let Ok(server) = std::env::var("GAZETTE_TEST_POSTGRES") else {
            return eprintln!("GAZETTE_TEST_POSTGRES is not set: skipped");
        };
        let folder = tempfile::tempdir().unwrap();
        let sqlite = |name: &str| format!("sqlite://{}/{name}", folder.path().display());
        let original = super::super::open(&sqlite("site.db")).await.unwrap();
        super::super::demo::load_if_empty(&original).await.unwrap();
        let hash = crate::db::users::test_hash("一个足够长的密码").unwrap();
        let editor =
            crate::db::users::create(&original, "Editor", crate::model::Role::Editor, &hash)
                .await
                .unwrap();
        crate::db::sessions::create(&original, "token", editor, i64::MAX)
            .await
            .unwrap();
        crate::db::redirects::create(&original, "/plus/view.php?aid=1", "/article/1")
            .await
            .unwrap();

        let postgres = FreshPostgres::create(&server).await;
        let copied = copy(&original, &postgres.store).await.unwrap();
        let articles = number(&original, "SELECT count(*) FROM articles").await;
        assert!(
            copied.tables.contains(&("articles", articles)),
            "{copied:?}"
        );
        assert_eq!(
            copied.indexed as i64, articles,
            "every article is searchable there"
        );
        // What visitors and editors see is the same there.
        let policy = crate::db::categories::find_by_slug(&postgres.store, "policy")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            crate::db::articles::count_in_tree(&postgres.store, policy.id)
                .await
                .unwrap(),
            crate::db::articles::count_in_tree(&original, policy.id)
                .await
                .unwrap(),
        );
        assert_eq!(
            crate::db::site::navigation(&postgres.store).await.unwrap(),
            crate::db::site::navigation(&original).await.unwrap()
        );
        assert!(
            crate::db::sessions::user(&postgres.store, "token", 0)
                .await
                .unwrap()
                .is_some()
        );
        // New rows get ids after the copied ones.
        let link = crate::model::LinkForm {
            name: "新链接".into(),
            url: "https://example.org".into(),
            ..crate::model::LinkForm::default()
        };
        let id = crate::db::links::create(&postgres.store, &link)
            .await
            .unwrap();
        assert!(id > number(&original, "SELECT max(id) FROM friendly_links").await);
        // A non-empty target is refused, untouched.
        let refused = copy(&original, &postgres.store).await.unwrap_err();
        assert!(refused.contains("不是空的"), "{refused}");

        // And back into a new SQLite database.
        let back = super::super::open(&sqlite("back.db")).await.unwrap();
        let returned = copy(&postgres.store, &back).await.unwrap();
        assert!(returned.tables.contains(&("articles", articles)));
        let hits = |store| async move {
            let Prepared::Match { expression, .. } = prepare("协会") else {
                panic!()
            };
            let filter = crate::db::search::Filter::default();
            crate::db::search::search(store, &expression, &filter, 100, 100, 0)
                .await
                .unwrap()
                .into_iter()
                .map(|hit| hit.id)
                .collect::<Vec<_>>()
        };
        let expected = hits(&original).await;
        assert!(!expected.is_empty());
        assert_eq!(hits(&postgres.store).await, expected);
        assert_eq!(hits(&back).await, expected);
        postgres.drop().await;
    }

    use crate::search::query::{Prepared, prepare};
}
