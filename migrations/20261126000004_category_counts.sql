-- Published articles per category, kept by triggers, so that a category page counts its
-- tree by summing a few rows instead of walking its articles. Articles scheduled for later
-- are counted here and subtracted at query time (they are few).
CREATE TABLE category_counts (
    category_id INTEGER PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
    published   INTEGER NOT NULL DEFAULT 0
);

INSERT INTO category_counts (category_id, published)
SELECT id, (SELECT count(*) FROM articles a WHERE a.category_id = c.id AND a.status = 'published')
FROM categories c;

CREATE TRIGGER category_counts_new_category AFTER INSERT ON categories BEGIN
    INSERT INTO category_counts (category_id) VALUES (NEW.id);
END;

CREATE TRIGGER category_counts_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' BEGIN
    UPDATE category_counts SET published = published + 1 WHERE category_id = NEW.category_id;
END;

CREATE TRIGGER category_counts_delete AFTER DELETE ON articles
WHEN OLD.status = 'published' BEGIN
    UPDATE category_counts SET published = published - 1 WHERE category_id = OLD.category_id;
END;

CREATE TRIGGER category_counts_update AFTER UPDATE OF status, category_id ON articles
WHEN (OLD.status = 'published') <> (NEW.status = 'published') OR OLD.category_id <> NEW.category_id
BEGIN
    UPDATE category_counts SET published = published - 1
    WHERE OLD.status = 'published' AND category_id = OLD.category_id;
    UPDATE category_counts SET published = published + 1
    WHERE NEW.status = 'published' AND category_id = NEW.category_id;
END;
