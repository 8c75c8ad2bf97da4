-- Residents registry (entered once) and alerts with their receipts and follow-ups.

CREATE TABLE buildings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grid_id BIGINT NOT NULL REFERENCES grids (id),
    name TEXT NOT NULL,
    CONSTRAINT uq_buildings UNIQUE (grid_id, name)
);

CREATE TABLE households (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    building_id BIGINT NOT NULL REFERENCES buildings (id),
    room TEXT NOT NULL,
    CONSTRAINT uq_households UNIQUE (building_id, room)
);

-- One person in a household. `grid_id` repeats the building's grid for per-grid counts.
-- An account whose phone number matches is that resident's (their home grid).
CREATE TABLE residents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id BIGINT NOT NULL REFERENCES households (id),
    grid_id BIGINT NOT NULL REFERENCES grids (id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    -- Comma-separated: elderly_alone, disabled, floating, low_income.
    tags TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    CONSTRAINT uq_residents_person UNIQUE (household_id, name)
);
CREATE INDEX ix_residents_grid ON residents (grid_id, name);
CREATE INDEX ix_residents_phone ON residents (phone);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    urgency TEXT NOT NULL,
    severity TEXT NOT NULL,
    certainty TEXT NOT NULL,
    area TEXT NOT NULL,
    sender_id BIGINT NOT NULL REFERENCES users (id),
    sent_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    follow_up_at BIGINT NOT NULL,
    cancelled BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX ix_alerts_sent ON alerts (sent_at);

-- The level-3 grids an alert reaches.
CREATE TABLE alert_grids (
    alert_id BIGINT NOT NULL REFERENCES alerts (id),
    grid_id BIGINT NOT NULL REFERENCES grids (id),
    CONSTRAINT pk_alert_grids PRIMARY KEY (alert_id, grid_id)
);
CREATE INDEX ix_alert_grids_grid ON alert_grids (grid_id, alert_id);

-- What each account did with an alert; `grid_id` is their home grid then.
CREATE TABLE alert_receipts (
    alert_id BIGINT NOT NULL REFERENCES alerts (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    grid_id BIGINT REFERENCES grids (id),
    delivered_at BIGINT NOT NULL,
    opened_at BIGINT,
    answer TEXT CHECK (answer IN ('received', 'safe', 'need_help')),
    answered_at BIGINT,
    note TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION,
    lng DOUBLE PRECISION,
    CONSTRAINT pk_alert_receipts PRIMARY KEY (alert_id, user_id)
);

-- A grid worker reached a vulnerable resident in person.
CREATE TABLE alert_followups (
    alert_id BIGINT NOT NULL REFERENCES alerts (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('safe', 'need_help', 'not_reached')),
    note TEXT NOT NULL DEFAULT '',
    by_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    CONSTRAINT pk_alert_followups PRIMARY KEY (alert_id, resident_id)
);
