-- The whole data model of the site. Times are Unix seconds (UTC); pages show them in
-- Asia/Shanghai time.

CREATE TABLE categories (
    id           INTEGER PRIMARY KEY,
    parent_id    INTEGER REFERENCES categories (id) ON DELETE RESTRICT,
    slug         TEXT    NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name         TEXT    NOT NULL CHECK (name <> ''),
    position     INTEGER NOT NULL DEFAULT 0,
    kind         TEXT    NOT NULL DEFAULT 'list' CHECK (kind IN ('list', 'page')),
    description  TEXT    NOT NULL DEFAULT '',
    -- The single page shown by a category of kind 'page' (sanitised HTML).
    page_body    TEXT    NOT NULL DEFAULT '',
    show_in_nav  INTEGER NOT NULL DEFAULT 1 CHECK (show_in_nav IN (0, 1)),
    created_at   INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at   INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX categories_by_parent ON categories (parent_id, position, id);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (username <> ''),
    display_name        TEXT    NOT NULL DEFAULT '',
    role                TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'contributor')),
    password_hash       TEXT    NOT NULL,
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_changed_at INTEGER NOT NULL DEFAULT (unixepoch()),
    created_at          INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE sessions (
    -- A hash of the token; the token itself lives only in the visitor's cookie.
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL DEFAULT (unixepoch()),
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    category_id     INTEGER NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    title           TEXT    NOT NULL CHECK (title <> ''),
    subtitle        TEXT    NOT NULL DEFAULT '',
    source          TEXT    NOT NULL DEFAULT '未知',
    author          TEXT    NOT NULL DEFAULT '',
    info_source     TEXT    NOT NULL DEFAULT '',
    info_source_url TEXT    NOT NULL DEFAULT '',
    summary         TEXT    NOT NULL DEFAULT '',
    -- Sanitised HTML.
    body            TEXT    NOT NULL DEFAULT '',
    cover_image     TEXT    NOT NULL DEFAULT '',
    is_headline     INTEGER NOT NULL DEFAULT 0 CHECK (is_headline IN (0, 1)),
    is_recommended  INTEGER NOT NULL DEFAULT 0 CHECK (is_recommended IN (0, 1)),
    is_pinned       INTEGER NOT NULL DEFAULT 0 CHECK (is_pinned IN (0, 1)),
    status          TEXT    NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'pending', 'published', 'archived')),
    -- A published article with a future time is scheduled: visitors see it from then on.
    published_at    INTEGER,
    review_note     TEXT    NOT NULL DEFAULT '',
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    view_count      INTEGER NOT NULL DEFAULT 0,
    -- Bumped on every save, for optimistic locking.
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at      INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
-- Lists and neighbours within a category, newest first.
CREATE INDEX articles_by_category ON articles (category_id, status, published_at, id);
-- Site-wide lists (home, feeds, sitemap).
CREATE INDEX articles_by_status ON articles (status, published_at, id);
CREATE INDEX articles_headlines ON articles (status, is_headline, published_at)
    WHERE is_headline = 1;
CREATE INDEX articles_recommended ON articles (status, is_recommended, published_at)
    WHERE is_recommended = 1;
CREATE INDEX articles_by_author ON articles (author_id);

CREATE TABLE article_revisions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    -- Every editable field of the article at that save, as JSON.
    snapshot    TEXT    NOT NULL CHECK (json_valid(snapshot)),
    note        TEXT    NOT NULL DEFAULT '',
    editor_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (article_id, version)
);

-- Recent views, to count each visitor once per article per 30 minutes.
CREATE TABLE article_views (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    visitor_key TEXT    NOT NULL,
    viewed_at   INTEGER NOT NULL,
    PRIMARY KEY (article_id, visitor_key)
) WITHOUT ROWID;
CREATE INDEX article_views_by_time ON article_views (viewed_at);

-- Exactly one row.
CREATE TABLE site_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT NOT NULL DEFAULT '',
    short_name      TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    postcode        TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    fax             TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    icp_number      TEXT NOT NULL DEFAULT '',
    police_number   TEXT NOT NULL DEFAULT '',
    copyright       TEXT NOT NULL DEFAULT '',
    logo            TEXT NOT NULL DEFAULT '',
    updated_at      INTEGER NOT NULL DEFAULT (unixepoch())
);
INSERT INTO site_settings (id, name) VALUES (1, '');

CREATE TABLE friendly_links (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (name <> ''),
    url         TEXT    NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    logo        TEXT    NOT NULL DEFAULT '',
    group_name  TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX friendly_links_order ON friendly_links (group_name, position, id);

CREATE TABLE uploads (
    id              INTEGER PRIMARY KEY,
    stored_name     TEXT    NOT NULL UNIQUE,
    original_name   TEXT    NOT NULL,
    content_type    TEXT    NOT NULL,
    size_bytes      INTEGER NOT NULL,
    sha256          TEXT    NOT NULL,
    owner_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX uploads_by_checksum ON uploads (sha256);
