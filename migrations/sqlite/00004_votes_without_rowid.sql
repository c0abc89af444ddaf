-- +goose Up
-- Votes live in their primary key's order, (item, participant), with the value beside it: one
-- B-tree instead of a table and an index, so counting an item's votes (rank recompute) reads
-- them in one sequential pass, and a vote touches one tree instead of two.
CREATE TABLE idea_votes_new (
    idea_id        INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (idea_id, participant_id)
) WITHOUT ROWID;
INSERT INTO idea_votes_new (idea_id, participant_id, value) SELECT idea_id, participant_id, value FROM idea_votes;
DROP TABLE idea_votes;
ALTER TABLE idea_votes_new RENAME TO idea_votes;
CREATE INDEX idea_votes_participant ON idea_votes (participant_id);

CREATE TABLE comment_votes_new (
    comment_id     INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, participant_id)
) WITHOUT ROWID;
INSERT INTO comment_votes_new (comment_id, participant_id, value) SELECT comment_id, participant_id, value FROM comment_votes;
DROP TABLE comment_votes;
ALTER TABLE comment_votes_new RENAME TO comment_votes;
CREATE INDEX comment_votes_participant ON comment_votes (participant_id);

-- +goose Down
CREATE TABLE idea_votes_old (
    idea_id        INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (idea_id, participant_id)
);
INSERT INTO idea_votes_old SELECT idea_id, participant_id, value FROM idea_votes;
DROP TABLE idea_votes;
ALTER TABLE idea_votes_old RENAME TO idea_votes;
CREATE INDEX idea_votes_participant ON idea_votes (participant_id);
CREATE TABLE comment_votes_old (
    comment_id     INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, participant_id)
);
INSERT INTO comment_votes_old SELECT comment_id, participant_id, value FROM comment_votes;
DROP TABLE comment_votes;
ALTER TABLE comment_votes_old RENAME TO comment_votes;
CREATE INDEX comment_votes_participant ON comment_votes (participant_id);
