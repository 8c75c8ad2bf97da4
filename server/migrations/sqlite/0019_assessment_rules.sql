-- Assessment rule sets as data: an admin's draft (at most one, `draft` = 1) and the
-- versions adopted, each in force from its month until the next (JSON of the numbers).
-- Rows are never edited: a month is always scored by the version in force then.
CREATE TABLE assessment_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_month TEXT NOT NULL,
    rules TEXT NOT NULL,
    draft BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_assessment_rules ON assessment_rules (draft, from_month);
