-- +goose Up
-- Each case's place in its list (see groundswell.QueueKey) as one number, kept by every write to
-- the case, so that the queue pages by key on one index instead of counting and skipping rows.
-- Open: escalated, then severity, then most reported, then oldest; decided: newest decision first.
ALTER TABLE moderation_cases ADD COLUMN queue_key BIGINT NOT NULL DEFAULT 0;
UPDATE moderation_cases SET queue_key = CASE WHEN state = 'open' THEN
      (CASE WHEN escalated THEN 0 ELSE 1 END) * CAST(1125899906842624 AS BIGINT)
    + (2 - CASE WHEN severity > 2 THEN 2 WHEN severity < 0 THEN 0 ELSE severity END) * CAST(281474976710656 AS BIGINT)
    + (1048575 - CASE WHEN report_count > 1048575 THEN 1048575 ELSE report_count END) * CAST(134217728 AS BIGINT)
    + (CAST(FLOOR(EXTRACT(EPOCH FROM opened_at)) AS BIGINT) / 60)
  ELSE -(CAST(FLOOR(EXTRACT(EPOCH FROM COALESCE(decided_at, opened_at))) AS BIGINT)) END;
CREATE INDEX moderation_cases_list ON moderation_cases (state, queue_key, id);
CREATE INDEX moderation_cases_challenge_list ON moderation_cases (challenge_id, state, queue_key, id);
DROP INDEX moderation_cases_queue;
-- The audit log pages newest first by id, filtered by action or by who acted.
CREATE INDEX audit_log_action_id ON audit_log (action, id);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, id);
DROP INDEX audit_log_actor;
-- The reasons a moderator can pick when keeping or hiding an item, one per line; empty offers
-- the standard ones.
ALTER TABLE challenges ADD COLUMN stock_reasons TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE challenges DROP COLUMN stock_reasons;
CREATE INDEX audit_log_actor ON audit_log (actor_id);
DROP INDEX audit_log_actor_id;
DROP INDEX audit_log_action_id;
CREATE INDEX moderation_cases_queue ON moderation_cases (state, severity, report_count, opened_at);
DROP INDEX moderation_cases_challenge_list;
DROP INDEX moderation_cases_list;
ALTER TABLE moderation_cases DROP COLUMN queue_key;
