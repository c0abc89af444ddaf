-- +goose Up
-- Full-text search over comments, like ideas.search.
ALTER TABLE comments ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', body_md)) STORED;
CREATE INDEX comments_search ON comments USING GIN (search);

-- +goose Down
DROP INDEX comments_search;
ALTER TABLE comments DROP COLUMN search;
