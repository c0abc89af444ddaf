-- +goose Up
-- How many of an idea's counted votes came from browsers without standing, kept with every vote,
-- so that a slow drip of them is seen as well as a burst.
ALTER TABLE ideas ADD COLUMN unproven INTEGER NOT NULL DEFAULT 0;
UPDATE ideas SET unproven = (SELECT COUNT(*) FROM idea_votes v WHERE v.idea_id = ideas.id AND v.unproven AND NOT v.discounted);

-- +goose Down
ALTER TABLE ideas DROP COLUMN unproven;
