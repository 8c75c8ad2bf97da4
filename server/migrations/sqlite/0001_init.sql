-- Foundation: people, grids and who serves them, sign-in throttling, audit.
-- Times are Unix milliseconds (BIGINT) and flags are 0/1 BIGINTs, so the same SQL
-- reads them on SQLite and PostgreSQL through sqlx's Any driver.

CREATE TABLE grids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id BIGINT REFERENCES grids (id),
    level BIGINT NOT NULL CHECK (level IN (1, 2, 3)),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- GeoJSON geometry (Polygon or MultiPolygon) in WGS-84.
    geometry TEXT NOT NULL,
    -- Bounding box of `geometry`, so "which grid holds this point" scans few rows.
    min_lat DOUBLE PRECISION NOT NULL,
    min_lng DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    max_lng DOUBLE PRECISION NOT NULL,
    CONSTRAINT uq_grids_code UNIQUE (code)
);
CREATE INDEX ix_grids_bbox ON grids (level, min_lat, max_lat);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('resident', 'grid_worker', 'coordinator', 'director', 'admin')),
    volunteer BIGINT NOT NULL DEFAULT 0,
    party_member BIGINT NOT NULL DEFAULT 0,
    -- The community (director, coordinator) or street (admin) a staff member answers for.
    scope_grid_id BIGINT REFERENCES grids (id),
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_users_phone UNIQUE (phone)
);

-- One person per duty per level-3 grid (一格多员); a person may serve several grids.
CREATE TABLE grid_staff (
    grid_id BIGINT NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
    duty TEXT NOT NULL CHECK (duty IN ('leader', 'police', 'manager', 'property', 'party_leader')),
    user_id BIGINT NOT NULL REFERENCES users (id),
    CONSTRAINT pk_grid_staff PRIMARY KEY (grid_id, duty)
);
CREATE INDEX ix_grid_staff_user ON grid_staff (user_id);

-- Failed sign-ins, counted per phone number and per address to throttle guessing.
CREATE TABLE login_failures (
    phone TEXT NOT NULL,
    ip TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX ix_login_failures_phone ON login_failures (phone, at);
CREATE INDEX ix_login_failures_ip ON login_failures (ip, at);

-- Every read of unmasked personal data.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
