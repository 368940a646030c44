-- Old addresses that answer with a 301: filled by imports, editable by editors. The path is
-- kept in the form `server::http::old_addresses::key` gives it (lower case, no trailing
-- slash, only the query parameters that name a page), so a lookup is one index probe.
CREATE TABLE redirects (
    path        TEXT    PRIMARY KEY CHECK (path LIKE '/%'),
    target      TEXT    NOT NULL CHECK (target <> ''),
    -- Where it came from: 'editor', or the imported site (`dedecms:…`, `wordpress:…`).
    origin      TEXT    NOT NULL DEFAULT 'editor',
    created_at  INTEGER NOT NULL DEFAULT (unixepoch())
) WITHOUT ROWID;
CREATE INDEX redirects_by_target ON redirects (target);

-- Which old site and old id each imported thing came from, so that importing the same
-- site again updates what changed instead of duplicating it.
CREATE TABLE import_origins (
    site        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('category', 'article', 'link', 'file')),
    old_id      TEXT    NOT NULL,
    new_id      INTEGER NOT NULL,
    -- A digest of what was imported: an unchanged thing is left alone on a rerun.
    fingerprint TEXT    NOT NULL DEFAULT '',
    -- The article's version the import left; a later version means an editor changed it
    -- here, and a rerun leaves it alone.
    version     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site, kind, old_id)
) WITHOUT ROWID;
