-- Reminders (提醒): one row per person, kind, subject (`ref_id`: a shift, meeting,
-- ticket, or the China day of a digest) and occasion (the shift's or meeting's start,
-- when the rating was asked), so each is planned and sent once. `due_at` is when the
-- rule wants it, `send_at` when it goes (moved out of the person's quiet hours),
-- `stale_at` when it is of no use; `silent`: it could not leave quiet hours, so it
-- goes to the in-app inbox only. `channels`: what it went by ("app,push,sms").
-- A round claims due rows first (status 'sending'), so two processes never send one twice.
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL
        CHECK (kind IN ('shift_day', 'shift_soon', 'promoted', 'meeting', 'rating', 'digest')),
    ref_id BIGINT NOT NULL,
    occasion BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    send_at BIGINT NOT NULL,
    stale_at BIGINT NOT NULL,
    silent BIGINT NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'sending', 'sent', 'cancelled', 'stale')),
    channels TEXT NOT NULL DEFAULT '',
    -- While being sent: which round took it (a round that died leaves it to the next).
    claim BIGINT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    read_at BIGINT,
    CONSTRAINT uq_reminder UNIQUE (user_id, kind, ref_id, occasion)
);
CREATE INDEX ix_reminders_due ON reminders (status, send_at);
CREATE INDEX ix_reminders_inbox ON reminders (user_id, status, sent_at);

-- How each person wants reminders; no row: in the app and by push, quiet 21:00–07:00
-- (minutes of the China day).
CREATE TABLE reminder_prefs (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    in_app BIGINT NOT NULL DEFAULT 1,
    push BIGINT NOT NULL DEFAULT 1,
    sms BIGINT NOT NULL DEFAULT 0,
    quiet_from BIGINT NOT NULL DEFAULT 1260,
    quiet_to BIGINT NOT NULL DEFAULT 420,
    updated_at BIGINT NOT NULL
);
