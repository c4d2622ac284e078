-- 0001: the app's first schema. Timestamps are RFC 3339 UTC text with
-- millisecond precision ("2006-01-02T15:04:05.000Z"), so they sort as text.
-- No table holds a password, key or token: those live in the secrets store.

CREATE TABLE connections (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('postgres', 'sandbox')),
    host        TEXT NOT NULL DEFAULT '',
    port        INTEGER NOT NULL DEFAULT 0,
    db_name     TEXT NOT NULL DEFAULT '',
    db_user     TEXT NOT NULL DEFAULT '',
    db_schema   TEXT NOT NULL DEFAULT '',
    ssl_mode    TEXT NOT NULL DEFAULT '',
    path        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE destinations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('local', 'oss', 'ftp')),
    settings    TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE presets (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    object            TEXT NOT NULL,
    header_signature  TEXT NOT NULL DEFAULT '',
    body              TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX presets_header_signature ON presets (header_signature);

CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('import', 'export', 'delete')),
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'interrupted', 'canceled')),
    connection    TEXT NOT NULL DEFAULT '',
    object        TEXT NOT NULL DEFAULT '',
    settings      TEXT NOT NULL DEFAULT '{}',
    files         TEXT NOT NULL DEFAULT '[]',
    total         INTEGER NOT NULL DEFAULT 0,
    succeeded     INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    error_report  TEXT NOT NULL DEFAULT '',
    message       TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT
);
CREATE INDEX jobs_created_at ON jobs (created_at);
CREATE INDEX jobs_status ON jobs (status);

CREATE TABLE job_events (
    id       INTEGER PRIMARY KEY,
    job_id   TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    level    TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
    message  TEXT NOT NULL
);
CREATE INDEX job_events_job_id ON job_events (job_id, id);

CREATE TABLE schedules (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('import', 'export', 'delete')),
    spec          TEXT NOT NULL,
    zone          TEXT NOT NULL DEFAULT '',
    job_settings  TEXT NOT NULL DEFAULT '{}',
    next_run      TEXT,
    last_run      TEXT,
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);
CREATE INDEX schedules_next_run ON schedules (enabled, next_run);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
