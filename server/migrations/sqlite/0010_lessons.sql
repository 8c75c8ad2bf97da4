-- Courses of lessons (Markdown text, an optional audio or video link; 微党课 are the
-- short ones) and each member's progress: opened, read to the end, completed, and where
-- in the text they stopped (thousandths), so a lesson resumes there.

CREATE TABLE courses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE lessons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    media TEXT NOT NULL DEFAULT '',
    media_url TEXT NOT NULL DEFAULT '',
    minutes BIGINT NOT NULL,
    micro BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_lessons_course ON lessons (course_id, position);

CREATE TABLE lesson_progress (
    user_id BIGINT NOT NULL REFERENCES users (id),
    lesson_id BIGINT NOT NULL REFERENCES lessons (id),
    status BIGINT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT pk_lesson_progress PRIMARY KEY (user_id, lesson_id)
);
