-- 0003_inventory.sql - the resource inventory and daily utilisation metrics
-- (issue 5), read by the findings queries (idle, low-CPU, unattached,
-- unassociated, old snapshots, stopped instances, idle load balancers and
-- databases).
--
--   resource          one row per resource of the AWS CLI describe-* outputs
--                     (src/inventory.c). Snapshot semantics: the first row of
--                     a (kind, account_id, region) in an ingest run deletes
--                     what earlier runs stored for that key, so a new
--                     inventory replaces the old one; files of one run add up.
--   lb_target_health  healthy / total registered targets per (load balancer,
--                     target group), from describe-target-health; a later
--                     ingest of the same pair replaces it.
--   metric_day        one value per (resource, metric, day): CloudWatch
--                     get-metric-data results or the metrics CSV, summed up
--                     per UTC day. A later run replaces a (resource, metric,
--                     day); files of one run add up.
-- Times are unix seconds UTC, days are days since 1970-01-01 (as line_day).
-- account_id and region are '' when neither the data, the --account /
-- --region options nor the file name say.

-- One row per inventory or metrics file loaded: provenance, and the
-- ingest runs (batch numbers are shared with the ingest table).
CREATE TABLE inventory_file (
    id          INTEGER PRIMARY KEY,
    batch       INTEGER NOT NULL,  -- one per `cloudtally ingest` run
    source      TEXT    NOT NULL,  -- file name as given
    format      TEXT    NOT NULL,  -- 'aws-ec2-instances', 'metrics-csv' ...
    rows        INTEGER NOT NULL,  -- resources, metric values or health rows
    checksum    TEXT    NOT NULL,  -- of the whole decompressed file
    ingested_at TEXT    NOT NULL   -- ISO 8601 UTC
) STRICT;
CREATE INDEX inventory_file_batch ON inventory_file (batch);

CREATE TABLE resource (
    id                INTEGER PRIMARY KEY,
    resource_id       TEXT    NOT NULL,  -- i-..., vol-..., eipalloc-... (or
                                         -- the public IP), snap-..., the DB
                                         -- instance / load balancer ARN
    kind              TEXT    NOT NULL CHECK (kind IN ('instance', 'volume',
                          'address', 'snapshot', 'db_instance',
                          'load_balancer')),
    account_id        TEXT    NOT NULL DEFAULT '',
    region            TEXT    NOT NULL DEFAULT '',
    availability_zone TEXT,
    name              TEXT,     -- Name tag, DB identifier, load balancer name
    state             TEXT,     -- running/stopped..., available/in-use,
                                -- associated/unassociated, completed,
                                -- DBInstanceStatus, State.Code of an LB
    instance_type     TEXT,     -- EC2 InstanceType
    platform          TEXT,     -- EC2 PlatformDetails
    volume_type       TEXT,     -- EBS VolumeType, RDS StorageType
    size_gb           REAL,     -- EBS Size, snapshot VolumeSize, RDS
                                -- AllocatedStorage
    iops              INTEGER,  -- EBS / RDS provisioned IOPS
    db_class          TEXT,     -- RDS DBInstanceClass
    engine            TEXT,     -- RDS Engine
    multi_az          INTEGER,  -- RDS MultiAZ (0/1)
    lb_type           TEXT,     -- ELBv2 Type: application, network, gateway
    attached_to       TEXT,     -- volume: instance; address: instance or
                                -- network interface; snapshot: volume
    association_id    TEXT,     -- address AssociationId
    created_at        INTEGER,  -- LaunchTime, CreateTime, StartTime,
                                -- InstanceCreateTime, CreatedTime
    state_since       INTEGER,  -- EC2: time in StateTransitionReason
                                -- ("User initiated (YYYY-MM-DD HH:MM:SS GMT)")
    tags              TEXT    NOT NULL DEFAULT '{}', -- JSON object, sorted keys
    batch             INTEGER NOT NULL,  -- the ingest run (ingest.batch)
    source            TEXT    NOT NULL,  -- file it came from
    ingested_at       TEXT    NOT NULL,  -- ISO 8601 UTC
    UNIQUE (kind, account_id, region, resource_id)
) STRICT;
CREATE INDEX resource_rid ON resource (resource_id);
CREATE INDEX resource_attached ON resource (attached_to) WHERE attached_to IS NOT NULL;

CREATE TABLE lb_target_health (
    load_balancer  TEXT    NOT NULL,  -- ARN, or the name from the file name
    target_group   TEXT    NOT NULL DEFAULT '',  -- ARN when the wrapper says
    targets        INTEGER NOT NULL,  -- TargetHealthDescriptions
    healthy        INTEGER NOT NULL,  -- TargetHealth.State = 'healthy'
    batch          INTEGER NOT NULL,
    source         TEXT    NOT NULL,
    ingested_at    TEXT    NOT NULL,
    PRIMARY KEY (load_balancer, target_group)
) STRICT, WITHOUT ROWID;

CREATE TABLE metric_day (
    resource_id TEXT    NOT NULL,
    metric      TEXT    NOT NULL,  -- cpu_avg_pct, net_in_bytes, net_out_bytes,
                                   -- db_connections, or another CloudWatch
                                   -- MetricName as given
    day         INTEGER NOT NULL,  -- days since 1970-01-01 (UTC)
    value       REAL    NOT NULL,  -- the day's figure: total for *_bytes,
                                   -- average (total / samples) for the rest
    total       REAL    NOT NULL,  -- sum of the samples
    samples     INTEGER NOT NULL,  -- data points that day
    peak        REAL    NOT NULL,  -- largest sample
    batch       INTEGER NOT NULL,
    source      TEXT    NOT NULL,
    PRIMARY KEY (resource_id, metric, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX metric_day_day ON metric_day (metric, day);
