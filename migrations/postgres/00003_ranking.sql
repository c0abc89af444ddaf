-- +goose Up
-- Fair ranking: impressions and the scores kept from them, the recency-weighted discussion
-- score, a random key for choosing under-exposed ideas, and pairwise results.
ALTER TABLE ideas ADD COLUMN impressions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN fair DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN discussion DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN gathering BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE ideas ADD COLUMN shuffle INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN comparisons INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN pair_chance DOUBLE PRECISION NOT NULL DEFAULT 0.5;
ALTER TABLE ideas ADD COLUMN pair_low DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN pair_high DOUBLE PRECISION NOT NULL DEFAULT 1;

-- Existing ideas draw their random key now; new ones get theirs from the application.
UPDATE ideas SET shuffle = floor(random() * 2147483647)::integer;

-- Per challenge: the share of each list page given to under-exposed ideas, the impressions an
-- idea needs before it stops "gathering votes", and the mean up-votes per impression that
-- centres the fair score's prior.
ALTER TABLE challenges ADD COLUMN explore_share DOUBLE PRECISION NOT NULL DEFAULT 0.2;
ALTER TABLE challenges ADD COLUMN gather_min INTEGER NOT NULL DEFAULT 30;
ALTER TABLE challenges ADD COLUMN fair_mean DOUBLE PRECISION NOT NULL DEFAULT 0.1;

-- Every sort is served by an index covering its whole ORDER BY, tie-breaks included.
DROP INDEX ideas_challenge_top;
DROP INDEX ideas_challenge_hot;
CREATE INDEX ideas_challenge_top ON ideas (challenge_id, status, score, up, id);
CREATE INDEX ideas_challenge_hot ON ideas (challenge_id, status, hot, id);
CREATE INDEX ideas_challenge_fair ON ideas (challenge_id, status, fair, id);
CREATE INDEX ideas_challenge_controversy ON ideas (challenge_id, status, controversy, id);
CREATE INDEX ideas_challenge_discussion ON ideas (challenge_id, status, discussion, id);
CREATE INDEX ideas_challenge_gathering ON ideas (challenge_id, status, gathering, shuffle);
CREATE INDEX ideas_question_compare ON ideas (challenge_id, question_id, status, comparisons);

-- One participant's judgement of one pair of ideas, once: the winner, or NULL for "can't
-- decide". No time is kept.
CREATE TABLE pair_votes (
    challenge_id   INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    low_id         INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    high_id        INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    winner_id      INTEGER REFERENCES ideas (id) ON DELETE CASCADE,
    PRIMARY KEY (participant_id, low_id, high_id),
    CHECK (low_id < high_id),
    CHECK (winner_id IS NULL OR winner_id = low_id OR winner_id = high_id)
);
CREATE INDEX pair_votes_challenge ON pair_votes (challenge_id);

-- +goose Down
DROP TABLE pair_votes;
DROP INDEX ideas_question_compare;
DROP INDEX ideas_challenge_gathering;
DROP INDEX ideas_challenge_discussion;
DROP INDEX ideas_challenge_controversy;
DROP INDEX ideas_challenge_fair;
DROP INDEX ideas_challenge_hot;
DROP INDEX ideas_challenge_top;
CREATE INDEX ideas_challenge_top ON ideas (challenge_id, status, score);
CREATE INDEX ideas_challenge_hot ON ideas (challenge_id, status, hot);
ALTER TABLE challenges DROP COLUMN fair_mean;
ALTER TABLE challenges DROP COLUMN gather_min;
ALTER TABLE challenges DROP COLUMN explore_share;
ALTER TABLE ideas DROP COLUMN pair_high;
ALTER TABLE ideas DROP COLUMN pair_low;
ALTER TABLE ideas DROP COLUMN pair_chance;
ALTER TABLE ideas DROP COLUMN comparisons;
ALTER TABLE ideas DROP COLUMN shuffle;
ALTER TABLE ideas DROP COLUMN gathering;
ALTER TABLE ideas DROP COLUMN discussion;
ALTER TABLE ideas DROP COLUMN fair;
ALTER TABLE ideas DROP COLUMN impressions;
