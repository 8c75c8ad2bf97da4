-- The map asks for the newest tickets in a box: a covering index answers from the index
-- alone (no table reads), whichever way the planner walks it.
DROP INDEX ix_tickets_lat_lng;
CREATE INDEX ix_tickets_map ON tickets (lat, lng, id, status, kind);
