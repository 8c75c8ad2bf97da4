-- The grid worker's work log (民情日志 / 走访): a visit or call, whom (a registered
-- resident or words), what was heard, the problems found — each solved on the spot or
-- turned into a ticket — and supervisors' comments (点评). The position is kept only
-- when the worker added it. An idempotency key makes a retried send one entry.
CREATE TABLE worklog_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    worker_id BIGINT NOT NULL REFERENCES users (id),
    grid_id BIGINT NOT NULL REFERENCES grids (id),
    resident_id BIGINT REFERENCES residents (id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('visit', 'call', 'other')),
    heard TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lng DOUBLE PRECISION,
    idempotency_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_worklog_key UNIQUE (worker_id, idempotency_key)
);
CREATE INDEX ix_worklog_grid ON worklog_entries (grid_id, created_at);
CREATE INDEX ix_worklog_worker ON worklog_entries (worker_id, created_at);
CREATE INDEX ix_worklog_resident ON worklog_entries (resident_id, created_at);

CREATE TABLE worklog_problems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id BIGINT NOT NULL REFERENCES worklog_entries (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    note TEXT NOT NULL,
    solved BIGINT NOT NULL DEFAULT 0,
    ticket_id BIGINT REFERENCES tickets (id)
);
CREATE INDEX ix_worklog_problems_entry ON worklog_problems (entry_id);

CREATE TABLE worklog_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id BIGINT NOT NULL REFERENCES worklog_entries (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_worklog_comments_entry ON worklog_comments (entry_id);

-- A care object's plan where a director changed the defaults (weekly for 独居老人,
-- monthly for 残疾 and 低保户; visited by the grid's 网格长). Residents with those tags
-- are care objects whether or not they have a row here.
CREATE TABLE care_plans (
    resident_id BIGINT PRIMARY KEY REFERENCES residents (id) ON DELETE CASCADE,
    cycle TEXT NOT NULL CHECK (cycle IN ('week', 'month')),
    visitor_id BIGINT REFERENCES users (id),
    needs TEXT NOT NULL DEFAULT '',
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
