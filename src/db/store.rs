//! The storage boundary: which database a site lives in, and one handle for either.
//!
//! SQLite (a file, the default: one server) and PostgreSQL (a database server, which several
//! Gazette servers share) are chosen by the database address alone. A query function of
//! `db` takes `impl Into<Exec>` — a pool, a connection held for a whole page, or a
//! transaction, of either backend — and runs its body through [`on_backend!`], which
//! compiles the body once per backend. A query that reads the same in both dialects is
//! written once; where they differ, [`Dialect`] gives each its words, or the function has one
//! arm per backend. Code outside `db` never learns which database it talks to.

use sqlx::pool::PoolConnection;
use sqlx::{
    Database, PgConnection, PgPool, Pool, Postgres, Sqlite, SqliteConnection, SqlitePool,
    Transaction,
};

/// The two databases Gazette runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database address names: `sqlite:…` or `postgres://…`.
    pub fn of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn dialect(self) -> &'static Dialect {
        match self {
            Backend::Sqlite => &Dialect::SQLITE,
            Backend::Postgres => &Dialect::POSTGRES,
        }
    }
}

/// A site's database: a pool of connections to one or the other backend.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
    }

    /// A connection held for several queries (one page's): one checkout of the pool.
    pub async fn acquire(&self) -> sqlx::Result<Connection> {
        Ok(match self {
            Store::Sqlite(pool) => Connection::Sqlite(pool.acquire().await?),
            Store::Postgres(pool) => Connection::Postgres(pool.acquire().await?),
        })
    }
}

/// A connection taken from a [`Store`], back in the pool when dropped.
pub enum Connection {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl<'c> From<&'c mut Connection> for Exec<'c> {
    fn from(connection: &'c mut Connection) -> Self {
        match connection {
            Connection::Sqlite(connection) => Exec::Sqlite(On::Connection(&mut **connection)),
            Connection::Postgres(connection) => Exec::Postgres(On::Connection(&mut **connection)),
        }
    }
}

/// Where a query runs.
pub enum Exec<'c> {
    Sqlite(On<'c, Sqlite>),
    Postgres(On<'c, Postgres>),
}

/// A pool, from which the query takes a connection, or a connection already held (a page's,
/// or a transaction's).
pub enum On<'c, DB: Database> {
    Pool(&'c Pool<DB>),
    Connection(&'c mut DB::Connection),
}

impl<'c, DB: Database> On<'c, DB> {
    /// The connection to run on: taken from the pool, or the one lent.
    pub async fn hold(self) -> sqlx::Result<Held<'c, DB>> {
        Ok(match self {
            On::Pool(pool) => Held::Taken(pool.acquire().await?),
            On::Connection(connection) => Held::Lent(connection),
        })
    }
}

pub enum Held<'c, DB: Database> {
    Taken(PoolConnection<DB>),
    Lent(&'c mut DB::Connection),
}

impl<DB: Database> Held<'_, DB> {
    pub fn connection(&mut self) -> &mut DB::Connection {
        match self {
            Held::Taken(connection) => connection,
            Held::Lent(connection) => connection,
        }
    }
}

/// `From` for the ways each backend's pools and connections are held.
macro_rules! exec_from {
    ($variant:ident, $db:ty, $pool:ty, $connection:ty) => {
        impl<'c> From<&'c $pool> for Exec<'c> {
            fn from(pool: &'c $pool) -> Self {
                Exec::$variant(On::Pool(pool))
            }
        }
        impl<'c> From<&'c mut $connection> for Exec<'c> {
            fn from(connection: &'c mut $connection) -> Self {
                Exec::$variant(On::Connection(connection))
            }
        }
        impl<'c> From<&'c mut PoolConnection<$db>> for Exec<'c> {
            fn from(connection: &'c mut PoolConnection<$db>) -> Self {
                Exec::$variant(On::Connection(&mut **connection))
            }
        }
        impl<'c, 't> From<&'c mut Transaction<'t, $db>> for Exec<'c> {
            fn from(transaction: &'c mut Transaction<'t, $db>) -> Self {
                Exec::$variant(On::Connection(&mut **transaction))
            }
        }
    };
}
exec_from!(Sqlite, Sqlite, SqlitePool, SqliteConnection);
exec_from!(Postgres, Postgres, PgPool, PgConnection);

impl<'c> From<&'c Store> for Exec<'c> {
    fn from(store: &'c Store) -> Self {
        match store {
            Store::Sqlite(pool) => Exec::Sqlite(On::Pool(pool)),
            Store::Postgres(pool) => Exec::Postgres(On::Pool(pool)),
        }
    }
}

/// Runs `$body` on a connection of whichever backend `$db` is:
/// `on_backend!(db, |conn, sql| query.fetch_one(&mut *conn).await)`. `conn` is a
/// `&mut SqliteConnection` or `&mut PgConnection`, `sql` that backend's [`Dialect`]. The
/// body is compiled once for each, so it must read the same for both.
macro_rules! on_backend {
    ($db:expr, |$conn:ident, $sql:ident| $body:expr) => {
        match ::core::convert::Into::<$crate::db::store::Exec<'_>>::into($db) {
            $crate::db::store::Exec::Sqlite(on) => {
                let mut held = on.hold().await?;
                let $conn = held.connection();
                #[allow(unused_variables)]
                let $sql = &$crate::db::store::Dialect::SQLITE;
                $body
            }
            $crate::db::store::Exec::Postgres(on) => {
                let mut held = on.hold().await?;
                let $conn = held.connection();
                #[allow(unused_variables)]
                let $sql = &$crate::db::store::Dialect::POSTGRES;
                $body
            }
        }
    };
}
pub(crate) use on_backend;

/// The words the two dialects spell differently, for the SQL written once for both.
#[derive(Debug)]
pub struct Dialect {
    pub backend: Backend,
    /// The current time in Unix seconds.
    pub now: &'static str,
    /// The larger of its arguments (`max(a, b)` is an aggregate in PostgreSQL).
    pub greatest: &'static str,
    /// Where a text starts in another, 1-based, 0 when absent: (haystack, needle).
    pub position_of: &'static str,
    /// LIKE without regard to ASCII case (SQLite's LIKE is; PostgreSQL's is not).
    pub like_without_case: &'static str,
    /// A flag's true value as SQLite's partial indexes spell it (`is_headline = 1`): a query
    /// must say the same to use them.
    pub truth: &'static str,
    /// The id of a new article: never one a deleted article had (SQLite would reuse the
    /// largest; see the `article_ids` migration).
    pub new_article_id: &'static str,
    /// Before and after a Unix-seconds expression, to show it as `YYYY-MM-DD HH:MM` in
    /// Asia/Shanghai time (UTC+8 without daylight saving since 1991, so the fixed offset is
    /// exact for the dates shown).
    minutes: (&'static str, &'static str),
    /// The same, as RFC 3339 with its +08:00 offset.
    iso: (&'static str, &'static str),
    /// The same, as a `datetime-local` input's value (`YYYY-MM-DDTHH:MM`).
    input: (&'static str, &'static str),
}

impl Dialect {
    pub const SQLITE: Dialect = Dialect {
        backend: Backend::Sqlite,
        now: "unixepoch()",
        greatest: "max",
        position_of: "instr",
        like_without_case: "LIKE",
        truth: "1",
        new_article_id: "(SELECT last + 1 FROM article_ids)",
        minutes: ("strftime('%Y-%m-%d %H:%M', ", ", 'unixepoch', '+8 hours')"),
        iso: (
            "strftime('%Y-%m-%dT%H:%M:%S+08:00', ",
            ", 'unixepoch', '+8 hours')",
        ),
        input: ("strftime('%Y-%m-%dT%H:%M', ", ", 'unixepoch', '+8 hours')"),
    };

    pub const POSTGRES: Dialect = Dialect {
        backend: Backend::Postgres,
        now: "unix_now()",
        greatest: "greatest",
        position_of: "strpos",
        like_without_case: "ILIKE",
        truth: "TRUE",
        new_article_id: "DEFAULT",
        minutes: (
            "to_char(to_timestamp(28800 + ",
            ") AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')",
        ),
        iso: (
            "to_char(to_timestamp(28800 + ",
            ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+08:00\"')",
        ),
        input: (
            "to_char(to_timestamp(28800 + ",
            ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI')",
        ),
    };

    /// `column` (Unix seconds) as `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub fn shanghai_minutes(&self, column: &str) -> String {
        format!("{}{column}{}", self.minutes.0, self.minutes.1)
    }

    /// `column` (Unix seconds) as RFC 3339 with +08:00.
    pub fn shanghai_iso(&self, column: &str) -> String {
        format!("{}{column}{}", self.iso.0, self.iso.1)
    }

    /// `column` (Unix seconds) as `YYYY-MM-DDTHH:MM`, Asia/Shanghai.
    pub fn shanghai_input(&self, column: &str) -> String {
        format!("{}{column}{}", self.input.0, self.input.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_names_the_backend() {
        assert_eq!(Backend::of("sqlite://data/site.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of("postgres://gazette@db.example/gazette"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of("postgresql:///gazette?host=/run/postgresql"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of("mysql://localhost/gazette"), None);
        assert_eq!(Backend::of("data/site.db"), None);
    }
}
