-- 重点场所 (key sites): types with their checklist (JSON: [{key, zh, en}]), inspection
-- cycle and the ticket category a failed item is reported in; the sites; inspections
-- and their items; and the hazards (a failed item's ticket) a re-inspection closes.
-- The defaults follow fire-safety practice: fire and power use, exits and escape
-- routes, fire equipment, fire doors, staff at key posts, and one item per type.
INSERT INTO categories (code, name_zh, name_en, kind, duty, accept_min, on_site_min, resolve_min,
    community_id, active, checker)
SELECT 'site_hazard', '重点场所检查隐患', 'Hazard found in a site inspection', 'problem', 'manager',
    120, NULL, 4320, NULL, 1, 'leader'
WHERE NOT EXISTS (SELECT 1 FROM categories WHERE code = 'site_hazard');
CREATE TABLE site_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    cycle_days BIGINT NOT NULL CHECK (cycle_days BETWEEN 1 AND 366),
    checklist TEXT NOT NULL,
    category_id BIGINT REFERENCES categories (id),
    active BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT uq_site_types_name UNIQUE (name_zh)
);
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '商场', 'Shopping mall', 30, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "疏散指示标志、应急照明完好", "en": "Exit signs and emergency lights working"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '学校', 'School', 30, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "校门安保人员、防冲撞设施到位", "en": "Gate guards and anti-ramming barriers in place"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '敬老院', 'Nursing home', 15, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "老人居室无违规电器，呼叫装置可用", "en": "No banned appliances in residents'' rooms; call buttons work"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '医院', 'Hospital', 30, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "氧气瓶等危险物品存放规范", "en": "Oxygen cylinders and other hazards stored properly"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '老旧小区', 'Old residential compound', 30, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "电动自行车不在楼道、室内停放充电", "en": "No e-bikes parked or charged in stairwells or indoors"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '九小场所', 'Small business premises (九小场所)', 30, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "经营场所不住人（无“三合一”）", "en": "Nobody sleeps on the premises (no 三合一)"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '餐饮', 'Restaurant', 30, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "燃气管道、报警装置完好，烟道定期清洗", "en": "Gas pipes and alarms sound; flues cleaned regularly"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '娱乐', 'Entertainment venue', 15, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "营业期间疏散指示、应急照明有效", "en": "Exit signs and emergency lights on during opening hours"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '住宿', 'Lodging', 30, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "旅客身份登记落实", "en": "Every guest''s identity registered"}]', (SELECT id FROM categories WHERE code = 'site_hazard');
INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id)
SELECT '危化品', 'Hazardous chemicals', 7, '[{"key": "i1", "zh": "消防安全：无违规用火用电、私拉乱接电线", "en": "Fire and power use: no open flames, no improvised wiring"}, {"key": "i2", "zh": "安全出口、疏散通道畅通，未锁闭、未堵塞", "en": "Exits and escape routes clear and unlocked"}, {"key": "i3", "zh": "灭火器、消火栓等消防设施器材完好有效", "en": "Extinguishers, hydrants and fire equipment in working order"}, {"key": "i4", "zh": "常闭式防火门保持关闭，闭门器完好", "en": "Fire doors kept closed, door closers working"}, {"key": "i5", "zh": "消防控制室、重点岗位人员在岗在位", "en": "Staff present at the fire control room and key posts"}, {"key": "i6", "zh": "危化品分类分区储存，台账清楚", "en": "Chemicals stored apart by class, ledger up to date"}]', (SELECT id FROM categories WHERE code = 'site_hazard');

CREATE TABLE sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type_id BIGINT NOT NULL REFERENCES site_types (id),
    name TEXT NOT NULL,
    grid_id BIGINT REFERENCES grids (id),
    community_id BIGINT REFERENCES grids (id),
    address TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION NOT NULL,
    lng DOUBLE PRECISION NOT NULL,
    risks BIGINT NOT NULL DEFAULT 0 CHECK (risks BETWEEN 0 AND 7),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_inspected_at BIGINT,
    -- When the next inspection is due (a cycle after the last, or after registration).
    due_at BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX ix_sites_grid ON sites (grid_id);
CREATE INDEX ix_sites_community ON sites (community_id);
CREATE INDEX ix_sites_due ON sites (active, due_at);

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    inspector_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    CONSTRAINT uq_inspections_key UNIQUE (inspector_id, idempotency_key)
);
CREATE INDEX ix_inspections_site ON inspections (site_id, at);

CREATE TABLE inspection_items (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id),
    item_key TEXT NOT NULL,
    item TEXT NOT NULL,
    pass BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    photo_key TEXT,
    -- The ticket this failure opened, or the one this pass closed.
    ticket_id BIGINT REFERENCES tickets (id),
    CONSTRAINT pk_inspection_items PRIMARY KEY (inspection_id, item_key)
);

-- A failed item's ticket, open until a re-inspection passes the item (or the ticket
-- is closed another way).
CREATE TABLE site_hazards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    item_key TEXT NOT NULL,
    item TEXT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    opened_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX ix_site_hazards_site ON site_hazards (site_id, closed_at);
