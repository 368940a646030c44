-- What several servers sharing one database must agree on, kept in the database rather than
-- in each server's memory: failed sign-ins (so that guessing through several servers is
-- throttled as through one), and the fields of no-JavaScript forms that were rejected (the
-- redirect back to the form may reach another server).
CREATE TABLE sign_in_failures (
    -- `user:<name in lower case>` or `addr:<address>`.
    key       TEXT    PRIMARY KEY,
    first_at  INTEGER NOT NULL,
    failures  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE form_drafts (
    key       TEXT    PRIMARY KEY,
    -- The hash of the session that typed it; NULL when signed out (the sign-in form).
    owner     TEXT,
    -- The fields as JSON: [[name, value], …].
    fields    TEXT    NOT NULL,
    saved_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX form_drafts_by_time ON form_drafts (saved_at);
