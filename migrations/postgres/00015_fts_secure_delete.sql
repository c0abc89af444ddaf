-- +goose Up
-- Nothing to do on PostgreSQL: its text-search vectors live in the rows themselves, and a purge
-- vacuums the tables it touched (see Store.Scrub). Kept so both databases share version numbers.
SELECT 1;

-- +goose Down
SELECT 1;
