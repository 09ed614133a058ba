-- 0006_k8s.sql - Kubernetes snapshots (issue 8): the kubectl JSON
-- documents `cloudtally ingest` recognised (nodes, pods, volumes and
-- services Lists), kept as they were given so the monthly report can price
-- the cluster with the same reader and model as `cloudtally k8s`.
--
-- Snapshot semantics: the first document of a kind in an ingest run
-- deletes what earlier runs stored for that kind (a new snapshot replaces
-- the old one); documents of one run add up (pv and pvc in two files).
CREATE TABLE k8s_doc (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('nodes', 'pods', 'volumes', 'services')),
    body        TEXT    NOT NULL,  -- the JSON document, checked at ingest
    batch       INTEGER NOT NULL,  -- the ingest run
    source      TEXT    NOT NULL,  -- file name as given
    ingested_at TEXT    NOT NULL   -- ISO 8601 UTC
) STRICT;
CREATE INDEX k8s_doc_kind ON k8s_doc (kind);
