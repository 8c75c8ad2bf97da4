-- Private calendar links (one secret token per volunteer) and the seniors' council
-- (闲事会): residents' concerns, who supports them, the Wednesday agenda and outcomes.

CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_calendar_token UNIQUE (token)
);

CREATE TABLE concerns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    raised_by BIGINT NOT NULL REFERENCES users (id),
    grid_id BIGINT NOT NULL REFERENCES grids (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- open → agenda (meeting_date set) → decided (outcome set, maybe a ticket).
    status TEXT NOT NULL CHECK (status IN ('open', 'agenda', 'decided')),
    supporters BIGINT NOT NULL DEFAULT 0,
    meeting_date TEXT,
    outcome TEXT,
    ticket_id BIGINT REFERENCES tickets (id),
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users (id)
);
CREATE INDEX ix_concerns_status ON concerns (status, meeting_date);

CREATE TABLE concern_supports (
    concern_id BIGINT NOT NULL REFERENCES concerns (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    CONSTRAINT pk_concern_supports PRIMARY KEY (concern_id, user_id)
);
