-- Volunteer teams, shifts (patrols and events), sign-ups with a waitlist, and the
-- hours ledger. `taken` counts seated sign-ups; every sign-up and cancellation first
-- bumps `touched` on its shift row, which serialises them per shift (a row lock on
-- PostgreSQL, the write lock on SQLite).

CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grid_id BIGINT NOT NULL REFERENCES grids (id),
    name TEXT NOT NULL,
    leader_id BIGINT REFERENCES users (id),
    active BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX ix_teams_grid ON teams (grid_id);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    CONSTRAINT pk_team_members PRIMARY KEY (team_id, user_id)
);

CREATE TABLE shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('patrol', 'event')),
    grid_id BIGINT NOT NULL REFERENCES grids (id),
    team_id BIGINT REFERENCES teams (id),
    -- Occurrences made together from one weekly rule share the first one's id.
    series_id BIGINT,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    capacity BIGINT NOT NULL,
    min_seats BIGINT NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    cutoff_hours BIGINT NOT NULL DEFAULT 0,
    taken BIGINT NOT NULL DEFAULT 0,
    touched BIGINT NOT NULL DEFAULT 0,
    cancelled BIGINT NOT NULL DEFAULT 0,
    checkin_token TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_shifts_starts ON shifts (starts_at);
CREATE INDEX ix_shifts_grid ON shifts (grid_id, starts_at);

CREATE TABLE shift_signups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id BIGINT NOT NULL REFERENCES shifts (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    state TEXT NOT NULL CHECK (state IN ('seated', 'waiting', 'cancelled')),
    -- The waitlist is ordered by `queued_at`, then id.
    queued_at BIGINT NOT NULL,
    -- Copied from the shift so the overlap rule is one indexed query.
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    checked_in_at BIGINT,
    checked_out_at BIGINT,
    CONSTRAINT uq_shift_signup UNIQUE (shift_id, user_id)
);
CREATE INDEX ix_signups_user ON shift_signups (user_id, starts_at);
CREATE INDEX ix_signups_shift ON shift_signups (shift_id, state);

-- Append-only: one entry per shift served (check-out or a coordinator's record).
CREATE TABLE volunteer_hours (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    shift_id BIGINT NOT NULL REFERENCES shifts (id),
    minutes BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    CONSTRAINT uq_hours_shift UNIQUE (user_id, shift_id)
);
CREATE INDEX ix_hours_user ON volunteer_hours (user_id, recorded_at);
