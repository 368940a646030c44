-- Full-text search over published articles (scheduled ones included; queries check the
-- publish time). The rowid is the article id. Columns hold the tokens made by
-- src/search/tokenize.rs, separated by spaces: pairs of Chinese characters and lower-case
-- words, so FTS5 only has to split on spaces.
CREATE VIRTUAL TABLE article_search USING fts5 (
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- What visitors searched for, for 热门搜索: the normalised query and when, nothing about who.
CREATE TABLE search_log (
    id          INTEGER PRIMARY KEY,
    query       TEXT    NOT NULL,
    searched_at INTEGER NOT NULL
);
CREATE INDEX search_log_by_time ON search_log (searched_at, query);
