-- +goose Up
-- Deleting from a full-text index removes the deleted words from it at once, instead of leaving
-- them until a later merge: a purged text must not linger in the index.
INSERT INTO ideas_fts (ideas_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO comments_fts (comments_fts, rank) VALUES ('secure-delete', 1);

-- +goose Down
INSERT INTO comments_fts (comments_fts, rank) VALUES ('secure-delete', 0);
INSERT INTO ideas_fts (ideas_fts, rank) VALUES ('secure-delete', 0);
