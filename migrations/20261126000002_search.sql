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

-- Taking an article out of view needs no tokenizer, so SQLite does it itself, whoever
-- changes the row; indexing new or edited text is done by the code that saves it.
CREATE TRIGGER articles_unindex_on_delete AFTER DELETE ON articles
BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;

CREATE TRIGGER articles_unindex_on_unpublish AFTER UPDATE OF status ON articles
WHEN new.status <> 'published'
BEGIN
    DELETE FROM article_search WHERE rowid = new.id;
END;
