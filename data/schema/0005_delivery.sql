-- 0005_delivery.sql - what `cloudtally notify` has delivered (issue 11),
-- so a month is not sent twice to the same place unless --force.
--
-- One row per (channel, target, month), written only after a delivery
-- succeeded; a failed delivery leaves no row. target is the SHA-256 (hex)
-- of the channel name and the destination (the webhook URL, the Slack
-- webhook URL, the sorted recipient list): the URL or address itself is
-- a secret or personal data and is never stored.
CREATE TABLE delivery (
    channel   TEXT    NOT NULL CHECK (channel IN ('slack', 'webhook', 'email')),
    target    TEXT    NOT NULL CHECK (length(target) = 64),
    month     TEXT    NOT NULL,  -- the billing period sent, YYYY-MM
    sent_at   TEXT    NOT NULL,  -- the last delivery, YYYY-MM-DDTHH:MM:SSZ
    attempts  INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
                                 -- deliveries made: 1, plus one for each
                                 -- later run with --force
    PRIMARY KEY (channel, target, month)
) STRICT, WITHOUT ROWID;
