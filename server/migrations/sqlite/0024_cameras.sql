-- 雪亮工程 cameras: points on the map with their GB/T 28181 device and channel codes
-- (the video stays on the street's video platform), and every view: who watched which
-- camera, when, why (a ticket or a note) and whether the platform gave a stream.
CREATE TABLE cameras (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lng DOUBLE PRECISION NOT NULL,
    grid_id BIGINT REFERENCES grids (id),
    community_id BIGINT REFERENCES grids (id),
    site_id BIGINT REFERENCES sites (id),
    device_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT uq_cameras_channel UNIQUE (device_id, channel_id)
);
CREATE INDEX ix_cameras_community ON cameras (community_id);

CREATE TABLE camera_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    camera_id BIGINT NOT NULL REFERENCES cameras (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id),
    note TEXT NOT NULL DEFAULT '',
    -- 'ok', or what went wrong ('no_provider', 'unreachable', or the platform's own answer).
    outcome TEXT NOT NULL
);
CREATE INDEX ix_camera_views_camera ON camera_views (camera_id, at);
