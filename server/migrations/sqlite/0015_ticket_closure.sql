-- Second-person check (核查): each category says who checks its fixes; a closing step
-- (fixed, partly fixed, not ours) waits in `checking` for that person, never the one
-- who resolved it; a failed check sends it back and counts as rework.
ALTER TABLE categories ADD COLUMN checker TEXT NOT NULL DEFAULT 'leader'
    CHECK (checker IN ('none', 'leader', 'director', 'other_staff'));
UPDATE categories SET checker = 'none' WHERE kind = 'service';

-- The latest closing step: what it claims, who took it and when.
ALTER TABLE tickets ADD COLUMN outcome TEXT CHECK (outcome IN ('fixed', 'partly', 'not_ours'));
ALTER TABLE tickets ADD COLUMN resolved_by BIGINT REFERENCES users (id);
ALTER TABLE tickets ADD COLUMN resolved_at BIGINT;
-- While checked: the check's deadline (1 working day from the fix by default).
ALTER TABLE tickets ADD COLUMN check_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN checked_by BIGINT REFERENCES users (id);
ALTER TABLE tickets ADD COLUMN rework BIGINT NOT NULL DEFAULT 0;
UPDATE tickets SET outcome = 'fixed' WHERE status IN ('resolved', 'closed');

-- The resident's rating (满意度回访): the one that counts (a redo's second replaces the
-- first), whether a 不满意 already reopened it, and when the question was asked (it
-- lapses as 'no_answer' after 7 days).
ALTER TABLE tickets ADD COLUMN rating TEXT CHECK (rating IN
    ('satisfied', 'basic', 'neutral', 'unsatisfied', 'very_unsatisfied', 'no_answer'));
ALTER TABLE tickets ADD COLUMN rated_at BIGINT;
ALTER TABLE tickets ADD COLUMN redone BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN rating_asked_at BIGINT;
UPDATE tickets SET rating_asked_at = updated_at WHERE status = 'resolved';
CREATE INDEX ix_tickets_rating_asked ON tickets (status, rating_asked_at);


-- 就是这个: people who report the same problem follow the first report (told of every
-- step, counted on it: "3 人反映") instead of filing it again; a merge moves them.
CREATE TABLE ticket_followers (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ix_ticket_followers_user ON ticket_followers (user_id);
-- The same-problem look-up while reporting: open tickets of one category in a small
-- box. Partial, so a city's million closed tickets are not in it; the predicate is
-- written exactly as the query writes it (TicketStatus::open_sql).
CREATE INDEX ix_tickets_nearby ON tickets (category_id, lat, lng)
    WHERE status IN ('pending', 'accepted', 'in_progress', 'checking');

-- 代报: a grid worker files for a resident without a smartphone. The reporter row is the
-- worker; these name the resident. Once an account with this number is confirmed as
-- theirs, the ticket is in their list and theirs to rate.
ALTER TABLE tickets ADD COLUMN proxy_name TEXT;
ALTER TABLE tickets ADD COLUMN proxy_phone TEXT;
CREATE INDEX ix_tickets_proxy_phone ON tickets (proxy_phone);

-- SQLite cannot alter a CHECK constraint. Widening one (every stored row still passes)
-- is the case its documentation allows doing by editing the table's definition in
-- `sqlite_schema` (https://www.sqlite.org/lang_altertable.html#otheralter). `RESET`
-- makes this connection reread the schema (with OFF it kept the old CHECK and later
-- ALTERs failed); the index created after it bumps the schema cookie, so every other
-- open connection rereads it too. Last in this migration all the same.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''in_progress'', ''resolved''', '''in_progress'', ''checking'', ''resolved''')
 WHERE type = 'table' AND name = 'tickets';
PRAGMA writable_schema = RESET;
-- Checks due, soonest first (the escalation task and the checkers' queues).
CREATE INDEX ix_tickets_check_due ON tickets (status, check_due_at);
