-- The editors' article list, most recently changed first.
CREATE INDEX articles_by_update ON articles (updated_at, id);
