-- 0004_optimizer.sql - AWS Compute Optimizer recommendations (issue 5),
-- from its EC2 instance and EBS volume CSV exports (src/inventory.c):
-- shown next to cloudtally's own findings as a second opinion, and
-- counted by `db check`.
--
-- Snapshot semantics as for resource: the first row of a (kind,
-- account_id, region) in an ingest run deletes what earlier runs stored
-- for that key; within a run a resource listed again replaces its row.
CREATE TABLE optimizer_rec (
    resource_id      TEXT    NOT NULL,  -- i-..., vol-... (from the ARN)
    kind             TEXT    NOT NULL CHECK (kind IN ('instance', 'volume')),
    account_id       TEXT    NOT NULL DEFAULT '',
    region           TEXT    NOT NULL DEFAULT '',  -- from the ARN
    name             TEXT,              -- instanceName
    current_config   TEXT,              -- m4.xlarge; "gp2 80 GiB"
    finding          TEXT    NOT NULL,  -- as exported: OVER_PROVISIONED,
                                        -- UNDER_PROVISIONED, OPTIMIZED,
                                        -- NotOptimized, Optimized ...
    recommended      TEXT,              -- option 1: t3.xlarge; "gp3 50 GiB"
    monthly_savings  INTEGER,           -- option 1 estimate, nano-USD
    performance_risk REAL,              -- option 1, 0 (none) to 4 (very high)
    options          INTEGER NOT NULL DEFAULT 0, -- recommendations_count
    batch            INTEGER NOT NULL,
    source           TEXT    NOT NULL,
    ingested_at      TEXT    NOT NULL,
    PRIMARY KEY (kind, resource_id)
) STRICT, WITHOUT ROWID;
