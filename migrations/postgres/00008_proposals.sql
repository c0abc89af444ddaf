-- +goose Up
-- The shortlist: longlisted ideas the panel takes forward.
ALTER TABLE panel_longlist ADD COLUMN shortlisted BOOLEAN NOT NULL DEFAULT FALSE;

-- Change proposals: a panel merges ideas into a change that can be made, and takes it through
-- its workflow to the public change guide.
CREATE TABLE proposals (
    id            BIGSERIAL PRIMARY KEY,
    panel_id      BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    theme         TEXT NOT NULL DEFAULT '',
    problem       TEXT NOT NULL DEFAULT '',
    proposed      TEXT NOT NULL DEFAULT '',
    steps         TEXT NOT NULL DEFAULT '',
    enablers      TEXT NOT NULL DEFAULT '',
    blockers      TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '',
    owner         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'shortlisted', 'accepted', 'published',
                  'in_progress', 'implemented', 'not_taken_forward')),
    status_reason TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX proposals_challenge ON proposals (challenge_id, status);

-- Where a proposal came from: each merged idea and its suggestions of how to make it happen,
-- with their votes as they stood when the proposal was made (provenance).
CREATE TABLE proposal_sources (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('idea', 'implementation')),
    target_id   BIGINT NOT NULL,
    idea_id     BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    title       TEXT NOT NULL DEFAULT '',
    up          INTEGER NOT NULL DEFAULT 0,
    down        INTEGER NOT NULL DEFAULT 0,
    comments    INTEGER NOT NULL DEFAULT 0,
    panel_score DOUBLE PRECISION,
    PRIMARY KEY (proposal_id, kind, target_id)
);
CREATE INDEX proposal_sources_idea ON proposal_sources (idea_id);

-- +goose Down
DROP TABLE proposal_sources;
DROP TABLE proposals;
ALTER TABLE panel_longlist DROP COLUMN shortlisted;
