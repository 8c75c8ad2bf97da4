-- The weekly quiz (one round a week, made when the first member starts it) and special
-- quizzes admins set with a window and a time limit. Each member takes a round once;
-- the questions drawn, the answers and the score are kept with the take.
CREATE TABLE quiz_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('weekly', 'special')),
    title TEXT NOT NULL,
    questions BIGINT NOT NULL,
    -- 0: no time limit.
    minutes BIGINT NOT NULL DEFAULT 0,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    -- The week's first moment for weekly rounds (one per week); NULL for special ones.
    week BIGINT UNIQUE,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_quiz_rounds_open ON quiz_rounds (closes_at);

CREATE TABLE round_takes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES quiz_rounds (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    started_at BIGINT NOT NULL,
    -- When the answers must be in (NULL: no limit).
    deadline BIGINT,
    submitted_at BIGINT,
    correct BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT uq_round_takes UNIQUE (round_id, user_id)
);

CREATE TABLE round_items (
    take_id BIGINT NOT NULL REFERENCES round_takes (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    position BIGINT NOT NULL,
    given TEXT,
    is_right BIGINT,
    CONSTRAINT pk_round_items PRIMARY KEY (take_id, question_id)
);
