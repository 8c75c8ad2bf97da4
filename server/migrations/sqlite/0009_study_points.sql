-- Party study (学习): points rules with daily caps, the append-only points ledger, the
-- per-day running totals the caps are enforced on, the question bank and daily quizzes.
-- Every award first writes its (user, day, activity) row, which serialises awards for
-- one member and activity (a row lock on PostgreSQL, the write lock on SQLite).

CREATE TABLE points_rules (
    activity TEXT PRIMARY KEY,
    points BIGINT NOT NULL,
    daily_cap BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);
-- The rules of 学习强国's kind; admins change them on /study/rules.
INSERT INTO points_rules (activity, points, daily_cap, active) VALUES
    ('sign_in', 1, 1, 1),
    ('reading', 1, 6, 1),
    ('daily_quiz', 1, 5, 1),
    ('weekly_quiz', 1, 5, 1),
    ('meeting', 5, 5, 1);

CREATE TABLE points_days (
    user_id BIGINT NOT NULL REFERENCES users (id),
    day BIGINT NOT NULL,
    activity TEXT NOT NULL,
    points BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT pk_points_days PRIMARY KEY (user_id, day, activity)
);

-- Append-only: one entry per award, with its reason. `ref` keeps an award from being
-- given twice for the same thing (a day's sign-in, a quiz attempt).
CREATE TABLE points_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    activity TEXT NOT NULL,
    points BIGINT NOT NULL,
    reason TEXT NOT NULL,
    day BIGINT NOT NULL,
    at BIGINT NOT NULL,
    ref TEXT NOT NULL,
    CONSTRAINT uq_points_ref UNIQUE (user_id, activity, ref)
);
CREATE INDEX ix_points_user ON points_ledger (user_id, at);
CREATE INDEX ix_points_at ON points_ledger (at);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'judge', 'blank')),
    stem TEXT NOT NULL,
    -- One option per line.
    options TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
-- An import finds a question already in the bank by its stem.
CREATE INDEX ix_questions_stem ON questions (stem);

CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    -- daily: drawn from the bank, earns points; review: drawn from the 错题本.
    kind TEXT NOT NULL DEFAULT 'daily' CHECK (kind IN ('daily', 'review')),
    day BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    submitted_at BIGINT,
    correct BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX ix_attempts_user ON quiz_attempts (user_id, day);

-- The questions drawn for an attempt: a daily quiz never draws a question twice for
-- one member in one day. Review items have no day (NULLs never collide).
CREATE TABLE quiz_items (
    attempt_id BIGINT NOT NULL REFERENCES quiz_attempts (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    user_id BIGINT NOT NULL,
    day BIGINT,
    position BIGINT NOT NULL,
    given TEXT,
    is_right BIGINT,
    CONSTRAINT pk_quiz_items PRIMARY KEY (attempt_id, question_id),
    CONSTRAINT uq_quiz_daily UNIQUE (user_id, day, question_id)
);

-- The 错题本: questions a member got wrong, until answered right twice since.
CREATE TABLE wrong_answers (
    user_id BIGINT NOT NULL REFERENCES users (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    right_times BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    CONSTRAINT pk_wrong_answers PRIMARY KEY (user_id, question_id)
);
