-- +goose Up
-- A vote from a participant without standing is marked unproven. When a surge of them lands on
-- an idea, a moderator can discount them: they stay, and stop counting. The case records how
-- many unproven votes made the surge.
ALTER TABLE idea_votes ADD COLUMN unproven BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE idea_votes ADD COLUMN discounted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE moderation_cases ADD COLUMN surge INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE moderation_cases DROP COLUMN surge;
ALTER TABLE idea_votes DROP COLUMN discounted;
ALTER TABLE idea_votes DROP COLUMN unproven;
