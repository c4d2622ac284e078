-- 0003: schedules that run. Each run a process claims is one row of
-- schedule_runs: the run time it is for, what happened (started a job,
-- skipped because the previous run was still going, failed to start), the
-- job it started, and whether it was caught up after a missed time. A
-- schedule's title says what it runs, for lists.

ALTER TABLE schedules ADD COLUMN title TEXT NOT NULL DEFAULT '';

CREATE TABLE schedule_runs (
    id           INTEGER PRIMARY KEY,
    schedule_id  TEXT NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    due_at       TEXT NOT NULL,
    claimed_at   TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('claimed', 'started', 'skipped', 'failed')),
    job_id       TEXT NOT NULL DEFAULT '',
    caught_up    INTEGER NOT NULL DEFAULT 0,
    manual       INTEGER NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    runner       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX schedule_runs_schedule ON schedule_runs (schedule_id, id);
CREATE INDEX schedule_runs_job ON schedule_runs (job_id);
