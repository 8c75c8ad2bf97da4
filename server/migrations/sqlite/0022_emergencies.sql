-- Emergency timers (1 / 3 / 5 minutes): what rang (an emergency ticket, a resident's
-- "需要帮助", a lost-person notice), whom it rang (the duty officers on
-- duty then; at five minutes the shift's leader and the director too), and when it was
-- acknowledged, someone was on site and it escalated.
CREATE TABLE emergencies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL CHECK (source IN ('ticket', 'alert_help', 'missing')),
    source_id BIGINT NOT NULL,
    -- Who asked for help (an alert's "需要帮助"); 0 otherwise.
    subject_id BIGINT NOT NULL DEFAULT 0,
    scope_id BIGINT REFERENCES grids (id),
    title TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    acked_by BIGINT REFERENCES users (id),
    acked_at BIGINT,
    on_site_by BIGINT REFERENCES users (id),
    on_site_at BIGINT,
    on_site_lat DOUBLE PRECISION,
    on_site_lng DOUBLE PRECISION,
    escalated_at BIGINT,
    CONSTRAINT uq_emergencies_source UNIQUE (source, source_id, subject_id)
);
CREATE INDEX ix_emergencies_started ON emergencies (started_at);

CREATE TABLE emergency_rings (
    emergency_id BIGINT NOT NULL REFERENCES emergencies (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    CONSTRAINT pk_emergency_rings PRIMARY KEY (emergency_id, user_id)
);
CREATE INDEX ix_emergency_rings_user ON emergency_rings (user_id);
