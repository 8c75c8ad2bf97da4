-- The party organisation of the seed's four levels: the community's big party committee
-- (大党委) → grid party branches → party groups → members (some 中心户, central
-- households). A member belongs to one branch or group; admins keep the tree.

CREATE TABLE party_orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id BIGINT REFERENCES party_orgs (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    grid_id BIGINT REFERENCES grids (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_party_orgs_parent ON party_orgs (parent_id);

CREATE TABLE party_members (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    org_id BIGINT NOT NULL REFERENCES party_orgs (id),
    central BIGINT NOT NULL DEFAULT 0,
    since BIGINT NOT NULL
);
CREATE INDEX ix_party_members_org ON party_members (org_id);

-- 三会一课: meetings of a branch or group. Everyone expected is written down when the
-- meeting is called (they are told, and they are the base of the attendance rate);
-- `checked_in_at` is set by scanning the meeting's QR code (`token`).
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES party_orgs (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    place TEXT NOT NULL,
    minutes TEXT NOT NULL DEFAULT '',
    token TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_meetings_org ON meetings (org_id, starts_at);

CREATE TABLE meeting_attendees (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    checked_in_at BIGINT,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX ix_meeting_attendees_user ON meeting_attendees (user_id);
