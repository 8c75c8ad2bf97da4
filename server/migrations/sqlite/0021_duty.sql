-- The command centre's 24-hour duty (值班): shifts of the street or of a community (a
-- grid), each with a leader and one or two officers; swap requests; the duty log; and
-- each handover from one shift to the next.
CREATE TABLE duty_shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id BIGINT NOT NULL REFERENCES grids (id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    leader_id BIGINT NOT NULL REFERENCES users (id),
    officer_id BIGINT NOT NULL REFERENCES users (id),
    officer2_id BIGINT REFERENCES users (id),
    planned_by BIGINT NOT NULL REFERENCES users (id),
    CONSTRAINT uq_duty_shifts UNIQUE (scope_id, starts_at)
);
CREATE INDEX ix_duty_shifts_ends ON duty_shifts (scope_id, ends_at);

CREATE TABLE duty_swaps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id BIGINT NOT NULL REFERENCES duty_shifts (id) ON DELETE CASCADE,
    from_id BIGINT NOT NULL REFERENCES users (id),
    to_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    peer_at BIGINT,
    planner_id BIGINT REFERENCES users (id),
    planner_at BIGINT,
    refused_by BIGINT REFERENCES users (id),
    refused_at BIGINT,
    done_at BIGINT
);
CREATE INDEX ix_duty_swaps_shift ON duty_swaps (shift_id);

CREATE TABLE duty_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id BIGINT NOT NULL REFERENCES grids (id),
    kind TEXT NOT NULL CHECK (kind IN ('received', 'reported', 'passed', 'followed')),
    body TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id),
    by_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    closed_by BIGINT REFERENCES users (id),
    closed_at BIGINT
);
CREATE INDEX ix_duty_log_scope ON duty_log (scope_id, created_at);

CREATE TABLE duty_handovers (
    to_shift_id BIGINT PRIMARY KEY REFERENCES duty_shifts (id) ON DELETE CASCADE,
    from_shift_id BIGINT NOT NULL REFERENCES duty_shifts (id) ON DELETE CASCADE,
    open_items BIGINT NOT NULL,
    acked_by BIGINT NOT NULL REFERENCES users (id),
    acked_at BIGINT NOT NULL
);
