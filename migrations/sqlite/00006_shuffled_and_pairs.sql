-- +goose Up
-- The fair list of a challenge that hides counts while voting is open comes in random order.
CREATE INDEX ideas_challenge_shuffled ON ideas (challenge_id, status, shuffle, id);

-- Judgements live in their key's order, without a rowid that would keep the order in which
-- they were made.
CREATE TABLE pair_votes_new (
    challenge_id   INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    low_id         INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    high_id        INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    winner_id      INTEGER REFERENCES ideas (id) ON DELETE CASCADE,
    PRIMARY KEY (participant_id, low_id, high_id),
    CHECK (low_id < high_id),
    CHECK (winner_id IS NULL OR winner_id = low_id OR winner_id = high_id)
) WITHOUT ROWID;
INSERT INTO pair_votes_new SELECT challenge_id, participant_id, low_id, high_id, winner_id FROM pair_votes;
DROP TABLE pair_votes;
ALTER TABLE pair_votes_new RENAME TO pair_votes;
CREATE INDEX pair_votes_challenge ON pair_votes (challenge_id);

-- +goose Down
DROP INDEX ideas_challenge_shuffled;
