-- +goose Up
-- Write counts for the per-participant rate limit when several instances share one database.
-- A row is a bucket (a keyed hash of the participant and the window, so rows of one participant
-- do not line up across windows) and a window number; rows go once their window has passed.
-- On PostgreSQL the table is unlogged: it never reaches the write-ahead log, replicas or backups.
CREATE TABLE write_counts (
    bucket       BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (window_start, bucket)
);

-- +goose Down
DROP TABLE write_counts;
