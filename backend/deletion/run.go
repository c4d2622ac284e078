package deletion

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/fkgraph"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// saved is what a delete job keeps in its settings (never a password).
type saved struct {
	Request
	// Check is the second check the delete asked for (CheckPassword or
	// CheckCount). A job is only started once its checks passed.
	Check string `json:"check"`
	// Confirmed is the count of records that go, as confirmed at start:
	// the capture refuses to go on when it finds another.
	Confirmed int64 `json:"confirmed"`
}

// Start checks and confirms req, records a delete job and starts it; it
// returns the job's ID at once. A refused check (wrong password, wrong
// name or count, blocked records, over the ceiling) is recorded in the
// history as a failed job and returned with that job's ID: nothing was
// deleted.
func (s *Service) Start(ctx context.Context, req Request, c Confirmation) (string, error) {
	return s.start(ctx, req, func(ctx context.Context, p *plan, check string, pv Preview) error {
		return p.confirm(ctx, c, check, pv.Total)
	}, "")
}

// confirmFunc runs the checks of a delete about to start.
type confirmFunc func(ctx context.Context, p *plan, check string, pv Preview) error

// start is Start with its checks given: those typed now, or (a scheduled
// run) none but the ceiling. note, when not "", is the job's first line.
func (s *Service) start(ctx context.Context, req Request, confirm confirmFunc, note string) (string, error) {
	t, err := s.open(ctx, req.CRM)
	if err != nil {
		return "", err
	}
	defer t.Close()
	p, err := resolve(ctx, t, req)
	if err != nil {
		return "", err
	}
	var pv Preview
	err = t.Snapshot(ctx, func(q fkgraph.Querier) error {
		pv, err = p.preview(ctx, q)
		return err
	})
	if err != nil {
		return "", wrapDB(err, "count the records to delete")
	}
	check, checkNote, err := secondCheck(ctx, t)
	if err != nil {
		return "", err
	}
	set := saved{Request: req, Check: check, Confirmed: pv.Total}
	set.CRM = crm.WithoutPassword(req.CRM)
	set.Object = p.obj.APIName
	j, err := s.jobs.Create(ctx, jobs.Spec{Kind: store.JobDelete, Connection: set.CRM, Object: p.obj.APIName, Settings: set})
	if err != nil {
		return "", err
	}
	if note != "" {
		s.jobs.Event(j.ID, store.LevelInfo, note)
	}
	if check == CheckCount && confirm != nil {
		s.jobs.Event(j.ID, store.LevelInfo, checkNote)
	}
	if confirm != nil {
		if err := confirm(ctx, p, check, pv); err != nil {
			return j.ID, s.refuse(ctx, j.ID, pv, err)
		}
	}
	if err := p.refusal(pv); err != nil {
		return j.ID, s.refuse(ctx, j.ID, pv, err)
	}
	if req.NoBackup {
		s.jobs.Event(j.ID, store.LevelWarn, "the backup was switched off knowingly: these records cannot be restored by Batchdesk")
	}
	return j.ID, s.jobs.Start(ctx, j.ID, s.run(j.ID, req, set))
}

// refuse records a refused delete as a failed job and returns err.
func (s *Service) refuse(ctx context.Context, id string, pv Preview, err error) error {
	s.jobs.Event(id, store.LevelError, apperr.MessageOf(err))
	_ = s.ws.Store.UpdateJob(context.WithoutCancel(ctx), id, store.JobUpdate{Status: store.StatusFailed,
		Total: pv.Total, Message: apperr.MessageOf(err)})
	return err
}

// Resume continues an interrupted or canceled delete job: it deletes what
// is left of the set captured when the job started (none other). crm,
// when not "", replaces the saved CRM (e.g. with a password). A job whose
// checks refused it, or that never captured its records, is refused.
func (s *Service) Resume(ctx context.Context, id, crm string) error {
	j, set, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	switch j.Status {
	case store.StatusInterrupted, store.StatusCanceled:
	case store.StatusFailed:
		// Refused by its checks, or failed before it fixed its record
		// set: nothing to continue.
		if m, _ := readManifest(s.jobDir(id)); m == nil {
			return apperr.New(apperr.Conflict, "job %s ended before it captured its records (nothing was deleted): start a new delete", id)
		}
	default:
		return apperr.New(apperr.Conflict, "job %s is %s: only an interrupted, canceled or failed delete can be resumed", id, j.Status)
	}
	req := set.Request
	if crm != "" {
		req.CRM = crm
	}
	return s.jobs.Start(ctx, id, s.run(id, req, set))
}

// load reads a delete job and its saved settings.
func (s *Service) load(ctx context.Context, id string) (store.Job, saved, error) {
	d, err := s.jobs.Get(ctx, id)
	if err != nil {
		return store.Job{}, saved{}, err
	}
	if d.Kind != store.JobDelete {
		return store.Job{}, saved{}, apperr.New(apperr.Conflict, "job %s is an %s job, not a delete", id, d.Kind)
	}
	var set saved
	if err := json.Unmarshal(d.Settings, &set); err != nil || set.Object == "" {
		return store.Job{}, saved{}, apperr.New(apperr.Conflict, "job %s has no saved delete settings", id)
	}
	return d.Job, set, nil
}

// jobDir is the job's reports folder.
func (s *Service) jobDir(id string) string { return filepath.Join(s.ws.Home, "reports", id) }

// BackupOf returns where job id's backup was written ("" when none).
func (s *Service) BackupOf(id string) string {
	m, err := readManifest(s.jobDir(id))
	if err != nil || m == nil || m.Backup == nil {
		return ""
	}
	return m.Backup.Location
}

// run is the job: capture (once), back up (once), then the batches the
// ledger does not hold yet.
func (s *Service) run(id string, req Request, set saved) jobs.Func {
	return interruptOnLost(func(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
		t, err := s.open(ctx, req.CRM)
		if err != nil {
			return jobs.Outcome{}, err
		}
		defer t.Close()
		p, err := resolve(ctx, t, req)
		if err != nil {
			return jobs.Outcome{}, err
		}
		dir := s.jobDir(id)
		m, err := readManifest(dir)
		if err != nil {
			return jobs.Outcome{}, err
		}
		if m == nil {
			report(jobs.Progress{Message: "capturing the records to delete"})
			start := time.Now()
			if m, err = p.capture(ctx, dir); err != nil {
				return jobs.Outcome{}, err
			}
			if m.Preview.Total != set.Confirmed {
				return jobs.Outcome{Total: m.Preview.Total}, apperr.New(apperr.Conflict,
					"%d records match now, but %d were confirmed: nothing was deleted; preview and confirm again", m.Preview.Total, set.Confirmed)
			}
			if err := p.refusal(m.Preview); err != nil {
				return jobs.Outcome{Total: m.Preview.Total}, err
			}
			if err := m.write(dir); err != nil {
				return jobs.Outcome{Total: m.Preview.Total}, err
			}
			s.jobs.Event(id, store.LevelInfo, fmt.Sprintf("captured %d ids in %s (%.1f s)", m.IDs, filepath.Join(dir, idsFile), time.Since(start).Seconds()))
		}
		ids, err := readIDs(dir, m)
		if err != nil {
			return jobs.Outcome{}, err
		}
		if !req.NoBackup && m.Backup == nil {
			report(jobs.Progress{Total: m.IDs, Message: "writing the backup"})
			start := time.Now()
			failpoint(FailDuringBackup, 0)
			b, err := s.opt.Backup(ctx, t, BackupJob{JobID: id, Object: p.obj, IDs: ids, Dir: dir, To: req.BackupTo})
			if err != nil {
				return jobs.Outcome{Total: m.IDs}, err
			}
			if err := checkBackup(b, m.Preview); err != nil {
				return jobs.Outcome{Total: m.IDs}, err
			}
			m.Backup = &b
			if err := m.write(dir); err != nil {
				return jobs.Outcome{Total: m.IDs}, err
			}
			s.jobs.Event(id, store.LevelInfo, fmt.Sprintf("backup written and checked: %s (%.1f s)", b.Location, time.Since(start).Seconds()))
		}
		return p.deleteBatches(ctx, id, dir, ids, m, report)
	})
}

// deleteBatches deletes ids in batches, skipping those the ledger holds,
// and stops between batches when ctx is canceled.
func (p *plan) deleteBatches(ctx context.Context, id, dir string, ids []string, m *manifest, report func(jobs.Progress)) (jobs.Outcome, error) {
	size := p.req.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	done, err := p.t.DeleteLedger(ctx, id)
	if err != nil {
		return jobs.Outcome{}, err
	}
	out := jobs.Outcome{Total: m.Preview.Matching, Failed: m.Preview.Total - m.IDs}
	if p.req.SkipBlocked {
		out.Failed = m.Preview.Blocked
	}
	var deleted, failed, processed int64
	var failures []fkgraph.Failure
	progress := func() {
		report(jobs.Progress{Total: out.Total, Done: processed + out.Failed, Succeeded: processed - failed,
			Failed: out.Failed + failed, Message: fmt.Sprintf("deleted %d of %d", deleted, m.IDs)})
	}
	for seq := 0; seq*size < len(ids); seq++ {
		chunk := ids[seq*size : min((seq+1)*size, len(ids))]
		if r, ok := done[seq]; ok {
			deleted += r.Deleted
			failed += int64(len(r.Failed))
			failures = append(failures, r.Failed...)
			processed += int64(len(chunk))
			continue
		}
		if ctx.Err() != nil {
			out.Canceled = true
			break
		}
		b := fkgraph.Batch{JobID: id, Seq: seq, Object: p.obj.APIName, Table: p.root, Key: p.key, IDs: chunk,
			Audit: p.obj.FromCatalog, Teams: p.obj.FromCatalog,
			BeforeCommit: func() {
				if beforeCommit != nil {
					beforeCommit(seq)
				}
				failpoint(FailMidBatch, seq)
			}}
		// A batch that started runs to its commit: cancel takes effect
		// between batches.
		r, err := p.t.DeleteBatch(context.WithoutCancel(ctx), b)
		if err != nil {
			out.Succeeded, out.Failed = processed-failed, out.Failed+failed
			return out, wrapDB(err, fmt.Sprintf("delete batch %d", seq))
		}
		failpoint(FailAfterCommit, seq)
		deleted += r.Deleted
		failed += int64(len(r.Failed))
		failures = append(failures, r.Failed...)
		processed += int64(len(chunk))
		progress()
	}
	gone := processed - failed
	out.Succeeded = gone
	out.Failed += failed
	out.Message = fmt.Sprintf("%d %s records deleted", deleted, p.obj.APIName)
	if gone > deleted && !out.Canceled {
		out.Message += fmt.Sprintf(" (%d of the captured were already gone)", gone-deleted)
	}
	if m.Preview.Blocked > 0 && p.req.SkipBlocked {
		out.Message += fmt.Sprintf("; %d blocked and skipped (listed in %s)", m.Preview.Blocked, blockedFile)
	}
	if failed > 0 {
		out.Message += fmt.Sprintf("; %d could not go: a reference appeared after the preview", failed)
	}
	if len(failures) > 0 || (m.Preview.Blocked > 0 && p.req.SkipBlocked) {
		out.ErrorReport = writeReport(dir, failures)
	}
	if out.Canceled {
		out.Message = fmt.Sprintf("canceled after %d of %d records; resume to delete the rest of the captured set", deleted, m.IDs)
	}
	return out, nil
}

// writeReport lists what could not go, beside the blocked ids: the job's
// report (path, or "" when it cannot be written).
func writeReport(dir string, failures []fkgraph.Failure) string {
	var b strings.Builder
	b.WriteString("id,reason\n")
	if blocked, err := os.ReadFile(filepath.Join(dir, blockedFile)); err == nil {
		ids, _ := decodeIDs(blocked)
		for _, bid := range ids {
			fmt.Fprintf(&b, "%s,%s\n", csvField(bid), "blocked: another record refers to it")
		}
	}
	for _, f := range failures {
		fmt.Fprintf(&b, "%s,%s\n", csvField(f.ID), csvField(f.Reason))
	}
	path := filepath.Join(dir, "not-deleted.csv")
	if err := writeFileSync(path, []byte(b.String())); err != nil {
		return ""
	}
	return path
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// jobsSpec is the history record of a delete of p.
func jobsSpec(p *plan, crm string) jobs.Spec {
	req := p.req
	req.CRM = crm
	return jobs.Spec{Kind: store.JobDelete, Connection: crm, Object: p.obj.APIName, Settings: saved{Request: req}}
}
