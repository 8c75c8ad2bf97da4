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
