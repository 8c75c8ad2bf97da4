-- The month's review: a director publishes her community's scores for 公示 (five working
-- days); a worker may appeal any entry in that window; a decision by someone other
-- than the scorer either rejects with a reason or adds a compensating entry (kind
-- 'correction', `corrects` naming the entry it cancels). When the window has passed
-- and no appeal is open, the month is final and nothing more is written to it.
CREATE TABLE assessment_months (
    community_id BIGINT NOT NULL REFERENCES grids (id),
    month TEXT NOT NULL,
    published_by BIGINT NOT NULL REFERENCES users (id),
    published_at BIGINT NOT NULL,
    appeal_until BIGINT NOT NULL,
    CONSTRAINT pk_assessment_months PRIMARY KEY (community_id, month)
);
CREATE TABLE assessment_appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id BIGINT NOT NULL REFERENCES assessment_ledger (id),
    worker_id BIGINT NOT NULL REFERENCES users (id),
    month TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decision TEXT CHECK (decision IN ('upheld', 'rejected')),
    decision_reason TEXT,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    CONSTRAINT uq_appeal_entry UNIQUE (entry_id)
);
CREATE INDEX ix_appeals_month ON assessment_appeals (month, worker_id);
ALTER TABLE assessment_ledger ADD COLUMN corrects BIGINT REFERENCES assessment_ledger (id);
-- SQLite cannot alter a CHECK; editing the table's definition is the documented way
-- (see 0015). Last in the migration; the index after it makes every connection reread.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''bonus'', ''deduction'')', '''bonus'', ''deduction'', ''correction'')')
 WHERE type = 'table' AND name = 'assessment_ledger';
PRAGMA writable_schema = RESET;
CREATE INDEX ix_assessment_corrects ON assessment_ledger (corrects);
