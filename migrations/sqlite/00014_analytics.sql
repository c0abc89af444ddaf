-- +goose Up
-- A challenge's running totals at the end of each day (today's so far), written by a job every
-- few minutes. Votes carry no time, so what a day added is the difference between two days.
CREATE TABLE activity_daily (
    challenge_id    INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    day             DATE NOT NULL,
    contributors    INTEGER NOT NULL DEFAULT 0,
    ideas           INTEGER NOT NULL DEFAULT 0,
    comments        INTEGER NOT NULL DEFAULT 0,
    implementations INTEGER NOT NULL DEFAULT 0,
    votes           INTEGER NOT NULL DEFAULT 0,
    reports         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (challenge_id, day)
);

-- Optional self-description: the answers a challenge offers (one per line; empty for none), how
-- many people gave each pair of answers, and who has answered, so nobody is counted twice.
-- Nothing joins an answer to a person.
ALTER TABLE challenges ADD COLUMN staff_groups TEXT NOT NULL DEFAULT '';
ALTER TABLE challenges ADD COLUMN regions TEXT NOT NULL DEFAULT '';
CREATE TABLE self_descriptions (
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    staff_group  TEXT NOT NULL,
    region       TEXT NOT NULL,
    people       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (challenge_id, staff_group, region)
);
CREATE TABLE self_described (
    challenge_id   INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (challenge_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX self_described_participant ON self_described (participant_id);

-- The daily totals count a challenge's reports.
CREATE INDEX moderation_cases_challenge ON moderation_cases (challenge_id);

-- +goose Down
DROP INDEX moderation_cases_challenge;
DROP TABLE self_described;
DROP TABLE self_descriptions;
ALTER TABLE challenges DROP COLUMN regions;
ALTER TABLE challenges DROP COLUMN staff_groups;
DROP TABLE activity_daily;
