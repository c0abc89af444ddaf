-- +goose Up
CREATE TABLE challenges (
    id                      INTEGER PRIMARY KEY,
    slug                    TEXT NOT NULL UNIQUE,
    title                   TEXT NOT NULL,
    brief_md                TEXT NOT NULL DEFAULT '',
    brief_html              TEXT NOT NULL DEFAULT '',
    phase                   TEXT NOT NULL DEFAULT 'draft'
                            CHECK (phase IN ('draft', 'open', 'voting', 'review', 'published', 'closed')),
    hide_counts_until_voted BOOLEAN NOT NULL DEFAULT 0,
    created_at              DATETIME NOT NULL
);

CREATE TABLE questions (
    id           INTEGER PRIMARY KEY,
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    prompt       TEXT NOT NULL DEFAULT '',
    UNIQUE (challenge_id, position)
);

CREATE TABLE themes (
    id           INTEGER PRIMARY KEY,
    challenge_id INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    UNIQUE (challenge_id, slug)
);

-- A participant is only a keyed hash of the random token in their cookie: no name, address or time.
CREATE TABLE participants (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE
);

-- The pseudonym a participant carries inside one challenge.
CREATE TABLE aliases (
    challenge_id   INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    PRIMARY KEY (challenge_id, participant_id),
    UNIQUE (challenge_id, name)
);

CREATE TABLE ideas (
    id              INTEGER PRIMARY KEY,
    challenge_id    INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    question_id     INTEGER NOT NULL REFERENCES questions (id),
    theme_id        INTEGER REFERENCES themes (id),
    participant_id  INTEGER NOT NULL REFERENCES participants (id),
    author          TEXT NOT NULL,
    title           TEXT NOT NULL,
    body_md         TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'visible',
    up              INTEGER NOT NULL DEFAULT 0,
    down            INTEGER NOT NULL DEFAULT 0,
    score           REAL NOT NULL DEFAULT 0,
    hot             REAL NOT NULL DEFAULT 0,
    controversy     REAL NOT NULL DEFAULT 0,
    comments        INTEGER NOT NULL DEFAULT 0,
    implementations INTEGER NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL
);
CREATE INDEX ideas_challenge_new ON ideas (challenge_id, status, id);
CREATE INDEX ideas_challenge_top ON ideas (challenge_id, status, score);
CREATE INDEX ideas_challenge_hot ON ideas (challenge_id, status, hot);
CREATE INDEX ideas_question ON ideas (question_id);
CREATE INDEX ideas_theme ON ideas (theme_id);
CREATE INDEX ideas_participant ON ideas (participant_id);

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    idea_id        INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    parent_id      INTEGER REFERENCES comments (id),
    depth          INTEGER NOT NULL DEFAULT 1,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    author         TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('comment', 'implementation')),
    body_md        TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'visible',
    up             INTEGER NOT NULL DEFAULT 0,
    down           INTEGER NOT NULL DEFAULT 0,
    score          REAL NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL
);
CREATE INDEX comments_idea ON comments (idea_id, id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_participant ON comments (participant_id);

-- Votes carry no timestamp: when someone voted is not ours to keep.
CREATE TABLE idea_votes (
    idea_id        INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (idea_id, participant_id)
);
CREATE INDEX idea_votes_participant ON idea_votes (participant_id);

CREATE TABLE comment_votes (
    comment_id     INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    value          INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, participant_id)
);
CREATE INDEX comment_votes_participant ON comment_votes (participant_id);

-- Full-text search over ideas, kept in step by triggers.
CREATE VIRTUAL TABLE ideas_fts USING fts5 (
    title, body_md, content = 'ideas', content_rowid = 'id', tokenize = 'porter unicode61'
);

-- +goose StatementBegin
CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas BEGIN
    INSERT INTO ideas_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN
    INSERT INTO ideas_fts (ideas_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ideas_fts_update AFTER UPDATE OF title, body_md ON ideas BEGIN
    INSERT INTO ideas_fts (ideas_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
    INSERT INTO ideas_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE ideas_fts;
DROP TABLE comment_votes;
DROP TABLE idea_votes;
DROP TABLE comments;
DROP TABLE ideas;
DROP TABLE aliases;
DROP TABLE participants;
DROP TABLE themes;
DROP TABLE questions;
DROP TABLE challenges;
