-- +goose Up
-- The fair list of a challenge that hides counts while voting is open comes in random order.
-- (SQLite also rebuilds pair_votes without a rowid here; PostgreSQL keeps no insertion order
-- that anyone could read back as a sequence.)
CREATE INDEX ideas_challenge_shuffled ON ideas (challenge_id, status, shuffle, id);

-- +goose Down
DROP INDEX ideas_challenge_shuffled;
