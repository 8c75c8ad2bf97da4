-- Sign-in throttling by reservation: every attempt takes a slot in its key's window
-- *before* the password is checked (one atomic upsert), so parallel guesses cannot
-- all pass a count read before any failure is written. Keys: `phone:…`, `ip:…`,
-- `device:…` (a browser that signed in here before), `signup:…`.
CREATE TABLE login_attempts (
    bucket TEXT PRIMARY KEY,
    n BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);
CREATE INDEX ix_login_attempts_window ON login_attempts (window_start);
DROP TABLE login_failures;

-- Browsers that signed in successfully (a long-lived HttpOnly cookie, stored as its
-- SHA-256): a stranger's wrong guesses lock the number, not the owner's own phone.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

-- A phone number typed at sign-up proves nothing: an account stands for the registry
-- person with the same number only once a staff member of her grid confirmed it (in
-- person or by phone; later an SMS code). Until then its answers to alerts do not
-- count for her, and she stays on the follow-up list.
ALTER TABLE users ADD COLUMN phone_verified_at BIGINT;
ALTER TABLE users ADD COLUMN phone_verified_by BIGINT REFERENCES users (id);
ALTER TABLE users ADD COLUMN phone_verified_how TEXT;
-- Staff accounts are made by admins, who know the person.
UPDATE users SET phone_verified_at = created_at, phone_verified_how = 'staff'
 WHERE role <> 'resident';
