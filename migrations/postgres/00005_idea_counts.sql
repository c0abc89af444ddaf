-- +goose Up
-- How many visible ideas each challenge has, per question and theme (0: no theme), kept in the
-- same transaction as every change of an idea's visibility, so that a list never counts rows.
CREATE TABLE idea_counts (
    challenge_id BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    question_id  BIGINT NOT NULL,
    theme_id     BIGINT NOT NULL DEFAULT 0,
    visible      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (challenge_id, question_id, theme_id)
);
INSERT INTO idea_counts (challenge_id, question_id, theme_id, visible)
    SELECT challenge_id, question_id, COALESCE(theme_id, 0), COUNT(*) FROM ideas WHERE status = 'visible'
    GROUP BY challenge_id, question_id, COALESCE(theme_id, 0);

-- +goose Down
DROP TABLE idea_counts;
