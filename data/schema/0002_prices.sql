-- 0002_prices.sql - prices refreshed from the public AWS price list.
--
-- Same row shape as the embedded catalog (pricing/catalog.h). A key here
-- wins over the embedded price for the same key. `cloudtally pricing
-- update` replaces all rows of one (service, region, source offer) in one
-- transaction, so an interrupted update leaves the previous prices.

CREATE TABLE price (
    service    TEXT    NOT NULL,
    region     TEXT    NOT NULL,
    product    TEXT    NOT NULL,
    variant    TEXT    NOT NULL,
    term       TEXT    NOT NULL,  -- ondemand, reserved, savingsplan, spot
    offering   TEXT    NOT NULL DEFAULT '',
    years      INTEGER NOT NULL DEFAULT 0,
    payment    TEXT    NOT NULL DEFAULT '',
    unit       TEXT    NOT NULL,
    tier_start REAL    NOT NULL DEFAULT 0,
    tier_end   REAL,              -- NULL: no upper bound
    price      TEXT    NOT NULL,  -- USD per unit, decimal as published
    upfront    TEXT,              -- USD, one-time (reserved, savings plans)
    note       TEXT,
    source     TEXT    NOT NULL,  -- URL of the offer file
    as_of      TEXT    NOT NULL,  -- publication date, YYYY-MM-DD
    PRIMARY KEY (service, region, product, variant, term, offering, years,
                 payment, tier_start)
) STRICT, WITHOUT ROWID;

-- One row per refreshed (service, region): what was loaded, from where.
CREATE TABLE price_update (
    id          INTEGER PRIMARY KEY,
    service     TEXT    NOT NULL,
    region      TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    publication TEXT    NOT NULL,  -- the offer file's publication date
    rows        INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL   -- ISO 8601 UTC
) STRICT;
