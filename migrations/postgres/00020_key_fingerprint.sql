-- +goose Up
-- The fingerprint of the secret key file the participants' hashes were made with: an HMAC of a
-- fixed label under the master key, which says nothing about the key itself. serve compares it
-- with the key file it finds, so that a lost or swapped key is refused instead of quietly making
-- every participant new.
CREATE TABLE key_fingerprint (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE key_fingerprint;
