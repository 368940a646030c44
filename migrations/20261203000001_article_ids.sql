-- SQLite numbers a new row one past the largest id in the table, so deleting the newest
-- article for good handed its number to the next one: its address (/article/N), the old
-- site's addresses redirected there and its import origin then led to another article. The
-- largest id ever used is kept here, and new articles are numbered past it
-- (`Dialect::new_article_id`). PostgreSQL's identity column never reuses a number.
CREATE TABLE article_ids (last INTEGER NOT NULL);
INSERT INTO article_ids (last) SELECT coalesce(max(id), 0) FROM articles;
CREATE TRIGGER article_ids_grow AFTER INSERT ON articles
    WHEN NEW.id > (SELECT last FROM article_ids)
BEGIN
    UPDATE article_ids SET last = NEW.id;
END;
