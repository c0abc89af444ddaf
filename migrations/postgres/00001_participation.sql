-- +goose Up
CREATE TABLE challenges (
    id                      BIGSERIAL PRIMARY KEY,
    slug                    TEXT NOT NULL UNIQUE,
    title                   TEXT NOT NULL,
    brief_md                TEXT NOT NULL DEFAULT '',
    brief_html              TEXT NOT NULL DEFAULT '',
    phase                   TEXT NOT NULL DEFAULT 'draft'
                            CHECK (phase IN ('draft', 'open', 'voting', 'review', 'published', 'closed')),
    hide_counts_until_voted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              TIMESTAMPTZ NOT NULL
);

CREATE TABLE questions (
    id           BIGSERIAL PRIMARY KEY,
    challenge_id BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    prompt       TEXT NOT NULL DEFAULT '',
    UNIQUE (challenge_id, position)
);

CREATE TABLE themes (
    id           BIGSERIAL PRIMARY KEY,
    challenge_id BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    UNIQUE (challenge_id, slug)
);

-- A participant is only a keyed hash of the random token in their cookie: no name, address or time.
CREATE TABLE participants (
    id         BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE
);

-- The pseudonym a participant carries inside one challenge.
CREATE TABLE aliases (
    challenge_id   BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    PRIMARY KEY (challenge_id, participant_id),
    UNIQUE (challenge_id, name)
);

CREATE TABLE ideas (
    id              BIGSERIAL PRIMARY KEY,
    challenge_id    BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    question_id     BIGINT NOT NULL REFERENCES questions (id),
    theme_id        BIGINT REFERENCES themes (id),
    participant_id  BIGINT NOT NULL REFERENCES participants (id),
    author          TEXT NOT NULL,
    title           TEXT NOT NULL,
    body_md         TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'visible',
    up              INTEGER NOT NULL DEFAULT 0,
    down            INTEGER NOT NULL DEFAULT 0,
    score           DOUBLE PRECISION NOT NULL DEFAULT 0,
    hot             DOUBLE PRECISION NOT NULL DEFAULT 0,
    controversy     DOUBLE PRECISION NOT NULL DEFAULT 0,
    comments        INTEGER NOT NULL DEFAULT 0,
    implementations INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    search          TSVECTOR GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', title), 'A') ||
                        setweight(to_tsvector('english', body_md), 'B')
                    ) STORED
);
CREATE INDEX ideas_challenge_new ON ideas (challenge_id, status, id);
CREATE INDEX ideas_challenge_top ON ideas (challenge_id, status, score);
CREATE INDEX ideas_challenge_hot ON ideas (challenge_id, status, hot);
CREATE INDEX ideas_question ON ideas (question_id);
CREATE INDEX ideas_theme ON ideas (theme_id);
CREATE INDEX ideas_participant ON ideas (participant_id);
CREATE INDEX ideas_search ON ideas USING GIN (search);

CREATE TABLE comments (
    id             BIGSERIAL PRIMARY KEY,
    idea_id        BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    parent_id      BIGINT REFERENCES comments (id),
    depth          INTEGER NOT NULL DEFAULT 1,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    author         TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('comment', 'implementation')),
    body_md        TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'visible',
    up             INTEGER NOT NULL DEFAULT 0,
    down           INTEGER NOT NULL DEFAULT 0,
    score          DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX comments_idea ON comments (idea_id, id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_participant ON comments (participant_id);

-- Votes carry no timestamp: when someone voted is not ours to keep.
CREATE TABLE idea_votes (
    idea_id        BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          SMALLINT NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (idea_id, participant_id)
);
CREATE INDEX idea_votes_participant ON idea_votes (participant_id);

CREATE TABLE comment_votes (
    comment_id     BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          SMALLINT NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, participant_id)
);
CREATE INDEX comment_votes_participant ON comment_votes (participant_id);

-- +goose Down
DROP TABLE comment_votes;
DROP TABLE idea_votes;
DROP TABLE comments;
DROP TABLE ideas;
DROP TABLE aliases;
DROP TABLE participants;
DROP TABLE themes;
DROP TABLE questions;
DROP TABLE challenges;
