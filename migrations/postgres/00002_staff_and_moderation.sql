-- +goose Up
CREATE TABLE staff_users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'expert')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

-- Server-side staff sessions, so that signing out or disabling a user ends them at once.
CREATE TABLE staff_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- One-time links for creating the first admin in the browser.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

ALTER TABLE challenges ADD COLUMN report_threshold INTEGER NOT NULL DEFAULT 3;
ALTER TABLE challenges ADD COLUMN premoderate BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE challenges ADD COLUMN held_words TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';

-- One case per reported or held contribution; reports hang off it.
CREATE TABLE moderation_cases (
    id             BIGSERIAL PRIMARY KEY,
    target_type    TEXT NOT NULL CHECK (target_type IN ('idea', 'comment')),
    target_id      BIGINT NOT NULL,
    challenge_id   BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    severity       INTEGER NOT NULL DEFAULT 0,
    escalated      BOOLEAN NOT NULL DEFAULT FALSE,
    held           BOOLEAN NOT NULL DEFAULT FALSE,
    report_count   INTEGER NOT NULL DEFAULT 0,
    outcome        TEXT NOT NULL DEFAULT '',
    outcome_reason TEXT NOT NULL DEFAULT '',
    original_text  TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    opened_at      TIMESTAMPTZ NOT NULL,
    decided_at     TIMESTAMPTZ,
    UNIQUE (target_type, target_id)
);
CREATE INDEX moderation_cases_queue ON moderation_cases (state, severity, report_count, opened_at);
CREATE INDEX moderation_cases_participant ON moderation_cases (participant_id);

CREATE TABLE reports (
    id             BIGSERIAL PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES moderation_cases (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    reason         TEXT NOT NULL CHECK (reason IN ('spam', 'offensive', 'personal_data', 'safety', 'off_topic')),
    details        TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, participant_id)
);

CREATE TABLE suspensions (
    id             BIGSERIAL PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    challenge_id   BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    until          TIMESTAMPTZ NOT NULL,
    reason         TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX suspensions_participant ON suspensions (participant_id, challenge_id, until);

-- Every moderation and admin action, written in the same transaction as the action itself.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor_id     BIGINT REFERENCES staff_users (id),
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL DEFAULT '',
    target_id    BIGINT,
    challenge_id BIGINT,
    reason       TEXT NOT NULL DEFAULT '',
    before       TEXT NOT NULL DEFAULT '',
    after        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE suspensions;
DROP TABLE reports;
DROP TABLE moderation_cases;
ALTER TABLE comments DROP COLUMN status_reason;
ALTER TABLE ideas DROP COLUMN status_reason;
ALTER TABLE challenges DROP COLUMN held_words;
ALTER TABLE challenges DROP COLUMN premoderate;
ALTER TABLE challenges DROP COLUMN report_threshold;
DROP TABLE setup_tokens;
DROP TABLE staff_sessions;
DROP TABLE staff_users;
