-- The feedback box (投诉建议): a complaint or suggestion from anyone signed in, about a
-- service, a staff member or the platform; answered once by an admin.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('complaint', 'suggestion')),
    about TEXT NOT NULL CHECK (about IN ('service', 'staff', 'platform')),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    answer TEXT,
    answered_by BIGINT REFERENCES users (id),
    answered_at BIGINT
);
CREATE INDEX ix_feedback_sender ON feedback (sender_id, created_at);
CREATE INDEX ix_feedback_created ON feedback (created_at);
