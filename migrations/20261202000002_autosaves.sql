-- What an editor typed into a saved article's form and the browser sent in the background:
-- one row per article and editor, replaced on each autosave, removed when that editor saves.
-- Not a revision and not the article: publishing, versions and the edit-conflict check
-- never see it.
CREATE TABLE article_autosaves (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The article's version the form was opened at.
    version     INTEGER NOT NULL,
    -- The form's fields as JSON (`model::ArticleForm`), body sanitised.
    form        TEXT    NOT NULL,
    saved_at    INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (article_id, user_id)
) WITHOUT ROWID;

-- Where an upload came from when the server copied it from another site (a picture in
-- pasted HTML); empty for files an editor uploaded.
ALTER TABLE uploads ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
