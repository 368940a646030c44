-- 热门搜索 counts searches per query per day instead of keeping one row per search: the
-- 30-day count reads a few thousand rows however many searches there were.
CREATE TABLE search_counts (
    day      INTEGER NOT NULL, -- days since 1970-01-01 (UTC)
    query    TEXT    NOT NULL,
    searches INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    PRIMARY KEY (day, query)
) WITHOUT ROWID;

INSERT INTO search_counts (day, query, searches, last_at)
SELECT searched_at / 86400, query, count(*), max(searched_at)
FROM search_log
GROUP BY searched_at / 86400, query;

DROP TABLE search_log;
