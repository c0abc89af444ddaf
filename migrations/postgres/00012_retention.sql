-- +goose Up
-- How long, after a challenge is published or closed, the rows that only served taking part
-- are kept (memberships, unused invite codes, expired suspensions, dismissed report details).
ALTER TABLE challenges ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 90 CHECK (retention_days BETWEEN 1 AND 3650);
-- When the challenge was last published or closed; NULL while it is running.
ALTER TABLE challenges ADD COLUMN ended_at TIMESTAMPTZ;

-- The retention job asks, per participant, whether anything still refers to them; these are the
-- references not already led by participant_id. The audit index finds a kind of action fast.
CREATE INDEX reports_participant ON reports (participant_id);
CREATE INDEX aliases_participant ON aliases (participant_id);
CREATE INDEX challenge_members_participant ON challenge_members (participant_id);
CREATE INDEX audit_log_action ON audit_log (action, at);

-- +goose Down
DROP INDEX audit_log_action;
DROP INDEX challenge_members_participant;
DROP INDEX aliases_participant;
DROP INDEX reports_participant;
ALTER TABLE challenges DROP COLUMN ended_at;
ALTER TABLE challenges DROP COLUMN retention_days;
