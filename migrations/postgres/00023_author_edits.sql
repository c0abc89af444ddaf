-- +goose Up
-- Whether an author changed an idea or comment in the minutes after posting. Only the fact is
-- kept: a time of editing could be lined up with other activity. Withdrawn contributions use
-- the status 'withdrawn', which needs no column.
ALTER TABLE ideas ADD COLUMN edited BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE comments ADD COLUMN edited BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE comments DROP COLUMN edited;
ALTER TABLE ideas DROP COLUMN edited;
