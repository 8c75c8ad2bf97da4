-- Staff notices with read receipts; lost-person notices with tips; Web Push
-- subscriptions and the server's own settings (the VAPID key pair).

CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    area TEXT NOT NULL,
    sender_id BIGINT NOT NULL REFERENCES users (id),
    sent_at BIGINT NOT NULL
);

-- Who a notice went to; `read_at` is their first opening.
CREATE TABLE notice_recipients (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    read_at BIGINT,
    CONSTRAINT pk_notice_recipients PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX ix_notice_recipients_user ON notice_recipients (user_id, notice_id);

CREATE TABLE missing_persons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    age BIGINT NOT NULL DEFAULT 0,
    description TEXT NOT NULL,
    last_seen_place TEXT NOT NULL,
    -- `has_position` 0: lat/lng mean nothing (no NULL floats: see db/alert.rs).
    has_position BIGINT NOT NULL DEFAULT 0,
    lat DOUBLE PRECISION NOT NULL DEFAULT 0,
    lng DOUBLE PRECISION NOT NULL DEFAULT 0,
    -- Space-separated photo keys.
    photos TEXT NOT NULL DEFAULT '',
    posted_by BIGINT NOT NULL REFERENCES users (id),
    posted_at BIGINT NOT NULL,
    found_at BIGINT,
    found_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_missing_posted ON missing_persons (posted_at);

CREATE TABLE missing_tips (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    missing_id BIGINT NOT NULL REFERENCES missing_persons (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL DEFAULT '',
    photos TEXT NOT NULL DEFAULT '',
    has_position BIGINT NOT NULL DEFAULT 0,
    lat DOUBLE PRECISION NOT NULL DEFAULT 0,
    lng DOUBLE PRECISION NOT NULL DEFAULT 0,
    sent_at BIGINT NOT NULL
);
CREATE INDEX ix_missing_tips ON missing_tips (missing_id, sent_at);

-- A browser's push subscription (its endpoint and keys, as the browser gave them).
CREATE TABLE push_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_push_endpoint UNIQUE (endpoint)
);
CREATE INDEX ix_push_user ON push_subscriptions (user_id);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
