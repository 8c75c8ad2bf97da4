-- A repeating shift's rule, edited as a rule. `id` is the series' id (the
-- `series_id` its occurrences share). `except_days` lists the dates left out,
-- comma-separated (`2026-12-24,2026-12-31`).

CREATE TABLE shift_series (
    id BIGINT PRIMARY KEY,
    first_start BIGINT NOT NULL,
    weekdays BIGINT NOT NULL,
    every_weeks BIGINT NOT NULL,
    until_day TEXT NOT NULL,
    except_days TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_shifts_series ON shifts (series_id, starts_at);
