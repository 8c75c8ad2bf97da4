-- The command screen counts the day's and month's tickets by state, category, grid,
-- hour and place: one index answers all of it without reading the table.
CREATE INDEX ix_tickets_created ON tickets (created_at, community_id, status, category_id, grid_id, lat, lng);
-- Overdue tickets (open, escalated) are few among many: found by their escalation.
CREATE INDEX ix_tickets_overdue ON tickets (escalation, status, community_id);
