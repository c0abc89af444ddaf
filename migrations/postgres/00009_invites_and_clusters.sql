-- +goose Up
-- A one-time link an admin sends to a new expert, who sets their own password with it and
-- joins the panel. Only a hash of the link's token is kept.
CREATE TABLE staff_invites (
    token_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'expert')),
    panel_id   BIGINT REFERENCES panels (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

-- Near-duplicates of a longlisted idea across the challenge, and their combined up-votes.
ALTER TABLE panel_longlist ADD COLUMN near_dupes TEXT NOT NULL DEFAULT '';
ALTER TABLE panel_longlist ADD COLUMN near_dupes_up INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE panel_longlist DROP COLUMN near_dupes_up;
ALTER TABLE panel_longlist DROP COLUMN near_dupes;
DROP TABLE staff_invites;
