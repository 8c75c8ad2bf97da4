-- 长辈版 (elder mode) remembered with the account, so it follows the person to a new phone.
ALTER TABLE users ADD COLUMN elder INTEGER NOT NULL DEFAULT 0;
