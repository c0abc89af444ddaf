-- +goose Up
-- The expert who chairs a panel: they shortlist, merge ideas into proposals and move them on,
-- as admins can for every panel.
ALTER TABLE panel_experts ADD COLUMN chair BOOLEAN NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE panel_experts DROP COLUMN chair;
