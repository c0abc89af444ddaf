-- +goose Up
-- Full-text search over comments, like ideas_fts: the text is read from comments itself.
CREATE VIRTUAL TABLE comments_fts USING fts5 (
    body_md, content = 'comments', content_rowid = 'id', tokenize = 'porter unicode61'
);
INSERT INTO comments_fts (comments_fts) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
    INSERT INTO comments_fts (rowid, body_md) VALUES (new.id, new.body_md);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body_md) VALUES ('delete', old.id, old.body_md);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER comments_fts_update AFTER UPDATE OF body_md ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body_md) VALUES ('delete', old.id, old.body_md);
    INSERT INTO comments_fts (rowid, body_md) VALUES (new.id, new.body_md);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER comments_fts_update;
DROP TRIGGER comments_fts_delete;
DROP TRIGGER comments_fts_insert;
DROP TABLE comments_fts;
