-- Open pages (live streams) per server process and home grid, so an alert's preview
-- can say how many pages it reaches now even when several processes serve a city.
-- Each process rewrites its own rows when its count changes and every 15 s; rows
-- not refreshed for 45 s belong to a process that went away and are ignored.
-- `grid_id` 0: pages with no home grid (signed out, staff), which see every alert.
CREATE TABLE live_pages (
    process TEXT NOT NULL,
    grid_id BIGINT NOT NULL,
    pages BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (process, grid_id)
);
CREATE INDEX ix_live_pages_seen ON live_pages (seen_at);
