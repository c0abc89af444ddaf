-- +goose Up
-- Who may take part: 'open' is anyone with the link; 'invite' is whoever redeemed an invite
-- code. read_without_code lets people without a code read an invite-only challenge.
ALTER TABLE challenges ADD COLUMN access_mode TEXT NOT NULL DEFAULT 'open' CHECK (access_mode IN ('open', 'invite'));
ALTER TABLE challenges ADD COLUMN read_without_code BOOLEAN NOT NULL DEFAULT 1;
-- The planned phase changes; the server makes each one when its time comes.
ALTER TABLE challenges ADD COLUMN opens_at DATETIME;
ALTER TABLE challenges ADD COLUMN voting_at DATETIME;
ALTER TABLE challenges ADD COLUMN review_at DATETIME;

-- A set of invite codes minted at once. The codes themselves are derived from the server's key,
-- the batch and their number, so they can be downloaded again; only their keyed hashes are kept.
CREATE TABLE invite_batches (
    id           INTEGER PRIMARY KEY,
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    size         INTEGER NOT NULL CHECK (size > 0),
    spent        INTEGER NOT NULL DEFAULT 0,
    label        TEXT NOT NULL DEFAULT '',
    created_on   DATE NOT NULL
);
CREATE INDEX invite_batches_challenge ON invite_batches (challenge_id, id);

-- The codes not yet spent. Spending one deletes its row, so no order or time of spending is
-- kept, and nothing ties a code to the participant who used it.
CREATE TABLE invite_codes (
    code_hash    TEXT PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES invite_batches (id) ON DELETE CASCADE,
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX invite_codes_batch ON invite_codes (batch_id);

-- Who has a voice in an invite-only challenge: a participant, with no link to the code they
-- used and no time. WITHOUT ROWID keeps no order of arrival either.
CREATE TABLE challenge_members (
    challenge_id   INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (challenge_id, participant_id)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE challenge_members;
DROP TABLE invite_codes;
DROP TABLE invite_batches;
ALTER TABLE challenges DROP COLUMN review_at;
ALTER TABLE challenges DROP COLUMN voting_at;
ALTER TABLE challenges DROP COLUMN opens_at;
ALTER TABLE challenges DROP COLUMN read_without_code;
ALTER TABLE challenges DROP COLUMN access_mode;
