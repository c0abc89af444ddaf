-- +goose Up
-- SQLite rebuilds its vote tables without rowids in this version, so that counting an item's
-- votes reads its primary key alone. PostgreSQL needs no change: a recompute counts votes with one
-- sequential scan and a hash aggregate, and another index would tax every vote.
SELECT 1;

-- +goose Down
SELECT 1;
