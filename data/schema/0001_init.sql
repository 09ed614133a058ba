-- 0001_init.sql - the billing store.
--
-- Billing lines of every source format land in one FOCUS-shaped model:
--   ingest    one row per (file, provider, billing account, billing period)
--             loaded; a later `cloudtally ingest` of the same key replaces it
--   profile   the descriptive (dimension) columns of a line, stored once per
--             distinct combination: provider, accounts, service, region,
--             resource, SKU, charge and commitment attributes, tags
--   line      the per-line facts: charge period and metrics; its rowid is
--             (ingest id << 32) + sequence, so an ingest's lines are one
--             rowid range and replacing it is a range delete, no index
--   line_day  lines summed by (ingest, day of ChargePeriodStart, profile):
--             what the reports read, tens of times smaller than line
--   profile_tag  one row per tag of a profile, key normalised for matching
-- The view focus_line puts them back together as one FOCUS table.
-- Money is INTEGER nano-dollars (src/money.h); times are unix seconds UTC.

CREATE TABLE ingest (
    id                 INTEGER PRIMARY KEY,
    batch              INTEGER NOT NULL,  -- one per `cloudtally ingest` run
    source             TEXT    NOT NULL,  -- file name or URL as given
    format             TEXT    NOT NULL,  -- 'focus-1.0', 'focus-1.1', 'focus-1.2'
    provider           TEXT    NOT NULL,  -- ProviderName ('' when absent)
    billing_account_id TEXT    NOT NULL,  -- BillingAccountId ('' when absent)
    billing_period     TEXT    NOT NULL,  -- 'YYYY-MM' of BillingPeriodStart
    period_start       INTEGER NOT NULL,
    period_end         INTEGER NOT NULL,
    rows               INTEGER NOT NULL DEFAULT 0,
    billed_cost        INTEGER NOT NULL DEFAULT 0,
    effective_cost     INTEGER NOT NULL DEFAULT 0,
    checksum           TEXT    NOT NULL,  -- of the whole decompressed file
    ingested_at        TEXT    NOT NULL   -- ISO 8601 UTC
) STRICT;
CREATE INDEX ingest_key ON ingest (provider, billing_account_id, billing_period);
CREATE INDEX ingest_period ON ingest (billing_period);

CREATE TABLE profile (
    id                          INTEGER PRIMARY KEY,
    h                           INTEGER NOT NULL UNIQUE, -- 64-bit hash of all columns below
    provider_name               TEXT,
    publisher_name              TEXT,
    invoice_issuer_name         TEXT,
    billing_account_id          TEXT,
    billing_account_name        TEXT,
    billing_account_type        TEXT,
    sub_account_id              TEXT,
    sub_account_name            TEXT,
    sub_account_type            TEXT,
    billing_currency            TEXT,
    pricing_currency            TEXT,
    invoice_id                  TEXT,
    charge_category             TEXT,
    charge_class                TEXT,
    charge_frequency            TEXT,
    charge_description          TEXT,
    pricing_category            TEXT,
    pricing_unit                TEXT,
    consumed_unit               TEXT,
    service_name                TEXT,
    service_category            TEXT,
    service_subcategory         TEXT,
    region_id                   TEXT,
    region_name                 TEXT,
    availability_zone           TEXT,
    resource_id                 TEXT,
    resource_name               TEXT,
    resource_type               TEXT,
    sku_id                      TEXT,
    sku_price_id                TEXT,
    sku_meter                   TEXT,
    sku_price_details           TEXT,
    commitment_discount_id      TEXT,
    commitment_discount_name    TEXT,
    commitment_discount_category TEXT,
    commitment_discount_status  TEXT,
    commitment_discount_type    TEXT,
    commitment_discount_unit    TEXT,
    capacity_reservation_id     TEXT,
    capacity_reservation_status TEXT,
    tags                        TEXT  -- JSON object as given
) STRICT;

CREATE TABLE profile_tag (
    profile_id INTEGER NOT NULL REFERENCES profile (id) ON DELETE CASCADE,
    key_norm   TEXT    NOT NULL,  -- lower-case, blanks trimmed
    key        TEXT    NOT NULL,  -- as written
    value      TEXT    NOT NULL,  -- scalar as text ('true' for valueless keys)
    PRIMARY KEY (profile_id, key_norm)
) STRICT, WITHOUT ROWID;

CREATE TABLE line (
    id                           INTEGER PRIMARY KEY, -- (ingest.id << 32) + seq
    profile_id                   INTEGER NOT NULL,
    charge_start                 INTEGER NOT NULL,
    charge_end                   INTEGER NOT NULL,
    billed_cost                  INTEGER NOT NULL,
    effective_cost               INTEGER NOT NULL,
    list_cost                    INTEGER,
    contracted_cost              INTEGER,
    pricing_quantity             REAL,
    consumed_quantity            REAL,
    list_unit_price              REAL,
    contracted_unit_price        REAL,
    commitment_discount_quantity REAL
) STRICT;

CREATE TABLE line_day (
    ingest_id      INTEGER NOT NULL REFERENCES ingest (id) ON DELETE CASCADE,
    day            INTEGER NOT NULL,  -- days since 1970-01-01 of charge_start
    profile_id     INTEGER NOT NULL REFERENCES profile (id),
    lines          INTEGER NOT NULL,
    billed_cost    INTEGER NOT NULL,
    effective_cost INTEGER NOT NULL,
    list_cost      INTEGER NOT NULL,
    PRIMARY KEY (ingest_id, day, profile_id)
) STRICT, WITHOUT ROWID;

CREATE VIEW focus_line AS
SELECT l.id AS line_id, i.id AS ingest_id, i.billing_period,
       i.period_start AS billing_period_start, i.period_end AS billing_period_end,
       l.charge_start AS charge_period_start, l.charge_end AS charge_period_end,
       l.billed_cost, l.effective_cost, l.list_cost, l.contracted_cost,
       l.pricing_quantity, l.consumed_quantity, l.list_unit_price,
       l.contracted_unit_price, l.commitment_discount_quantity, p.*
FROM line l
JOIN ingest i ON i.id = (l.id >> 32)
JOIN profile p ON p.id = l.profile_id;
