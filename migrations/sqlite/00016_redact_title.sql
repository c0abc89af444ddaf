-- +goose Up
-- A redaction may edit an idea's title too; the title it replaced is kept in the case, like the
-- body, until an admin purges it.
ALTER TABLE moderation_cases ADD COLUMN original_title TEXT;

-- +goose Down
ALTER TABLE moderation_cases DROP COLUMN original_title;
