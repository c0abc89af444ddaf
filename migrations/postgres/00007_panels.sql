-- +goose Up
-- Expert panels: a panel of a challenge reviews a longlist of its ideas (for all its questions,
-- or only some), scoring each on weighted criteria from 1 to 5, each expert on their own.
CREATE TABLE panels (
    id            BIGSERIAL PRIMARY KEY,
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    longlist_size INTEGER NOT NULL DEFAULT 20,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX panels_challenge ON panels (challenge_id);

CREATE TABLE panel_questions (
    panel_id    BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    PRIMARY KEY (panel_id, question_id)
);

CREATE TABLE panel_criteria (
    id          BIGSERIAL PRIMARY KEY,
    panel_id    BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    weight      DOUBLE PRECISION NOT NULL CHECK (weight > 0),
    UNIQUE (panel_id, position)
);

CREATE TABLE panel_experts (
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    PRIMARY KEY (panel_id, user_id)
);
CREATE INDEX panel_experts_user ON panel_experts (user_id);

-- The ideas a panel reviews: the best of each question by the ranking engine, or nominated.
CREATE TABLE panel_longlist (
    panel_id     BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    idea_id      BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('ranking', 'nomination')),
    reason       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (panel_id, idea_id)
);

-- One expert's review of one idea: submitted once, with a score per criterion, or a declared
-- conflict of interest (recused) with no scores.
CREATE TABLE panel_reviews (
    panel_id  BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    idea_id   BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    expert_id BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    recused   BOOLEAN NOT NULL DEFAULT FALSE,
    note      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (panel_id, idea_id, expert_id)
);
CREATE INDEX panel_reviews_expert ON panel_reviews (panel_id, expert_id);

CREATE TABLE panel_scores (
    panel_id     BIGINT NOT NULL,
    idea_id      BIGINT NOT NULL,
    expert_id    BIGINT NOT NULL,
    criterion_id BIGINT NOT NULL REFERENCES panel_criteria (id) ON DELETE CASCADE,
    value        INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (panel_id, idea_id, expert_id, criterion_id),
    FOREIGN KEY (panel_id, idea_id, expert_id) REFERENCES panel_reviews (panel_id, idea_id, expert_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE panel_scores;
DROP TABLE panel_reviews;
DROP TABLE panel_longlist;
DROP TABLE panel_experts;
DROP TABLE panel_criteria;
DROP TABLE panel_questions;
DROP TABLE panels;
