-- +goose Up
-- Standing: a participant's reports count towards hiding an item only once their browser has
-- been known for standing_minutes and they have voted or posted in the challenge. Each case
-- counts those reports apart from the rest; reports made before this existed all count.
ALTER TABLE challenges ADD COLUMN standing_minutes INTEGER NOT NULL DEFAULT 10 CHECK (standing_minutes BETWEEN 0 AND 10080);
ALTER TABLE moderation_cases ADD COLUMN standing_count INTEGER NOT NULL DEFAULT 0;
UPDATE moderation_cases SET standing_count = report_count;

-- +goose Down
ALTER TABLE moderation_cases DROP COLUMN standing_count;
ALTER TABLE challenges DROP COLUMN standing_minutes;
