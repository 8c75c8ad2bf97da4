-- 考核 from outcomes: every point is an append-only ledger entry (worker, rule, points,
-- reason, the ticket it came from) with an idempotency key, so an event replayed or a
-- scoring run repeated never counts twice. Corrections are new entries; nothing is
-- edited. Study points, logs and time online are not in here and never will be.
CREATE TABLE assessment_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    worker_id BIGINT NOT NULL REFERENCES users (id),
    -- The month scored, China time: '2026-12'.
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN
        ('yellow_card', 'red_card', 'rework', 'found', 'bonus', 'deduction')),
    points BIGINT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    ticket_id BIGINT REFERENCES tickets (id),
    idem_key TEXT NOT NULL,
    -- NULL for the scoring run; the person for manual points.
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_assessment_key UNIQUE (idem_key)
);
CREATE INDEX ix_assessment_worker_month ON assessment_ledger (worker_id, month);
CREATE INDEX ix_assessment_month ON assessment_ledger (month, worker_id);
