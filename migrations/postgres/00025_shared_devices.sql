-- +goose Up
-- A challenge for shared computers: the browser forgets its participant when it closes.
ALTER TABLE challenges ADD COLUMN shared_devices BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE challenges DROP COLUMN shared_devices;
