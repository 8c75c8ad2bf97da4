-- Tickets (事件): categories with deadlines and the duty that handles them, tickets
-- routed to a grid, their photos, and a timeline of every change.

-- Admin-editable; `community_id` set = a community's own service menu item (群众点菜).
CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('problem', 'mediation', 'service')),
    duty TEXT NOT NULL CHECK (duty IN ('leader', 'police', 'manager', 'property', 'party_leader')),
    accept_min BIGINT NOT NULL CHECK (accept_min > 0),
    -- Emergencies: someone on site within this many minutes of the report.
    on_site_min BIGINT CHECK (on_site_min > 0),
    resolve_min BIGINT NOT NULL CHECK (resolve_min > 0),
    community_id BIGINT REFERENCES grids (id),
    active BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT uq_categories_code UNIQUE (code)
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    -- The category's kind when reported; problems are public (reporter hidden).
    kind TEXT NOT NULL CHECK (kind IN ('problem', 'mediation', 'service')),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    -- The level-3 grid holding the location and its community; NULL outside every grid
    -- (then the street's admins handle it).
    grid_id BIGINT REFERENCES grids (id),
    community_id BIGINT REFERENCES grids (id),
    -- The grid's staff member with the category's duty, when there is one.
    assignee_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate')),
    description TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lng DOUBLE PRECISION NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- 0 none, 1 community director told, 2 street told.
    escalation BIGINT NOT NULL DEFAULT 0,
    duplicate_of BIGINT REFERENCES tickets (id),
    -- Mediation (矛盾纠纷): the parties, who mediates, what they agreed.
    parties TEXT,
    mediator_id BIGINT REFERENCES users (id),
    agreement TEXT,
    -- Sent by the reporter's phone, so a retried submit creates nothing twice.
    idempotency_key TEXT,
    CONSTRAINT uq_tickets_idempotency UNIQUE (reporter_id, idempotency_key)
);
CREATE INDEX ix_tickets_lat_lng ON tickets (lat, lng);
CREATE INDEX ix_tickets_grid ON tickets (grid_id, status);
CREATE INDEX ix_tickets_community ON tickets (community_id, status);
CREATE INDEX ix_tickets_reporter ON tickets (reporter_id, created_at);
CREATE INDEX ix_tickets_status ON tickets (status, created_at);

-- One row per change: who, when, what; photos point at the event they came with.
CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    -- NULL for the system (escalation).
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX ix_ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE ticket_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    event_id BIGINT NOT NULL REFERENCES ticket_events (id),
    -- SHA-256 keys of the display copy and the thumbnail in the photo store.
    photo_key TEXT NOT NULL,
    thumb_key TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL
);
CREATE INDEX ix_ticket_photos_ticket ON ticket_photos (ticket_id, id);

-- Open311 clients (a city's app, a hotline system), each posting as one user.
CREATE TABLE api_keys (
    api_key TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL
);
