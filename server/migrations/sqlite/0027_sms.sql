-- SMS where push can't reach: one row per person and purpose (`dedup_key`), so a
-- message is handed to the provider once; its provider id, state and receipt.
CREATE TABLE sms_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key TEXT NOT NULL,
    purpose TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    grid_id BIGINT REFERENCES grids (id),
    phone TEXT NOT NULL,
    -- The template's values: [[name, value], ...].
    params TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sent', 'delivered', 'undelivered', 'refused')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_try_at BIGINT NOT NULL,
    provider TEXT,
    provider_id TEXT,
    error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    receipt_at BIGINT,
    CONSTRAINT uq_sms_dedup UNIQUE (dedup_key)
);
CREATE INDEX ix_sms_due ON sms_messages (status, next_try_at, id);
CREATE INDEX ix_sms_receipt ON sms_messages (provider_id, phone);
CREATE INDEX ix_sms_ref ON sms_messages (purpose, ref_id, grid_id, status);
-- When an alert's unopened residents were queued for SMS; alerts from before SMS
-- existed count as done.
ALTER TABLE alerts ADD COLUMN sms_planned_at BIGINT;
UPDATE alerts SET sms_planned_at = sent_at;
