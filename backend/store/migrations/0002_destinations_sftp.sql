-- 0002: SFTP destinations, and the SSH host keys the user accepted (pinned
-- on first use, like OpenSSH's known_hosts). SQLite cannot change a CHECK
-- constraint, so destinations is rebuilt with the same columns and rows.

CREATE TABLE destinations_new (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('local', 'oss', 'ftp', 'sftp')),
    settings    TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
INSERT INTO destinations_new (id, name, kind, settings, created_at, updated_at)
    SELECT id, name, kind, settings, created_at, updated_at FROM destinations;
DROP TABLE destinations;
ALTER TABLE destinations_new RENAME TO destinations;

-- One pinned key per server address. key is the public key in
-- authorized_keys form ("ssh-ed25519 AAAA…"); fingerprint its SHA256 form.
CREATE TABLE known_hosts (
    host         TEXT NOT NULL,
    port         INTEGER NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (host, port)
);
