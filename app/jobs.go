package app

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/deletion"
	"batchdesk/backend/destinations"
	"batchdesk/backend/export"
	"batchdesk/backend/imports"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

func init() { addArea("jobs", false, func(a *App) any { return &JobsAPI{a} }) }

// JobsAPI is the jobs area of the surface: the history, a job's page,
// cancel, resume and restart.
type JobsAPI struct{ *App }

// jobFlags are the parts of a job's saved settings the dashboard shows.
type jobFlags struct {
	ValidateOnly bool `json:"validateOnly"`
	Rehearse     bool `json:"rehearse"`
	// RestoreOf: an import restoring a delete's backup (imports.Settings).
	RestoreOf string `json:"restoreOf"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// jobSummary converts a job and its figures (jobs.Summarize) for the page.
func jobSummary(j store.Job) JobSummary {
	f := jobs.Summarize(j, time.Now())
	s := JobSummary{JobID: j.ID, Kind: j.Kind, Status: j.Status, Connection: j.Connection, Object: j.Object,
		Files: []string{}, Total: j.Total, Succeeded: j.Succeeded, Failed: j.Failed, Added: j.Added, Updated: j.Updated,
		CreatedAt: rfc3339(j.CreatedAt), StartedAt: rfc3339(j.StartedAt), FinishedAt: rfc3339(j.FinishedAt),
		Message: j.Message, HasErrors: j.ErrorReport != "" && fileExists(j.ErrorReport),
		Resumable: f.Resumable, Seconds: f.Seconds, SuccessRate: f.SuccessRate, RowsPerSec: f.RowsPerSec}
	for _, p := range j.Files {
		s.Files = append(s.Files, filepath.Base(p.Path))
	}
	var fl jobFlags
	_ = json.Unmarshal(j.Settings, &fl)
	s.ValidateOnly, s.Rehearse = fl.ValidateOnly, fl.Rehearse
	if j.Kind == store.JobImport {
		s.RestoreOf = fl.RestoreOf
	}
	if j.Kind == store.JobExport {
		s.Destination, s.DestinationKind = exportDestination(j.Settings)
	}
	return s
}

// exportDestination is where an export job went and its kind, from its
// saved export.Settings: the description it had then (a saved
// destination's "NAME (URL)"), else the DEST as given.
func exportDestination(settings json.RawMessage) (desc, kind string) {
	var set export.Settings
	if json.Unmarshal(settings, &set) != nil || set.Destination == "" {
		return "", ""
	}
	desc, url := set.DestinationDescription, set.Destination
	if desc == "" {
		desc = set.Destination
	}
	// A saved destination is described as "NAME (URL[ at ENDPOINT])".
	if inner, ok := strings.CutPrefix(desc, set.Destination+" ("); ok && !destinations.IsURL(set.Destination) {
		url, _, _ = strings.Cut(strings.TrimSuffix(inner, ")"), " at ")
	}
	if sp, err := destinations.ParseSpec(url); err == nil {
		kind = sp.Kind
	}
	return desc, kind
}

// withSchedule adds the schedule that started the job, if one did; names
// caches the schedules' titles over one list.
func (a *App) withSchedule(ctx context.Context, s JobSummary, names map[string]string) JobSummary {
	run, ok, err := a.ws.Store.RunOfJob(ctx, s.JobID)
	if err != nil || !ok {
		return s
	}
	s.ScheduleID = run.ScheduleID
	title, seen := names[run.ScheduleID]
	if !seen {
		if sc, err := a.ws.Store.GetSchedule(ctx, run.ScheduleID); err == nil {
			title = sc.Title
		}
		names[run.ScheduleID] = title
	}
	s.ScheduleTitle = title
	return s
}

// restoreLine starts the line a restore writes in its delete job's log
// for each import it runs (deletion.Service.Restore), followed by that
// import's ID. Restores made before imports.Settings had RestoreOf are
// known only by it.
const restoreLine = "restore: import job "

// restoresOf are the import jobs that restored delete job d, oldest
// first: those whose settings name it (imports.Settings.RestoreOf), and
// those its log names (restores made before RestoreOf existed).
func (a *App) restoresOf(ctx context.Context, d jobs.Detail) []JobRestore {
	out := []JobRestore{}
	if d.Job.Kind != store.JobDelete {
		return out
	}
	rs, err := a.ws.Store.ListRestoresOf(ctx, d.Job.ID)
	if err != nil {
		return out
	}
	seen := map[string]bool{}
	for _, rj := range rs {
		seen[rj.ID] = true
	}
	for _, e := range d.Events {
		rid, ok := strings.CutPrefix(e.Message, restoreLine)
		if !ok || seen[rid] {
			continue
		}
		if rj, err := a.ws.Store.GetJob(ctx, rid); err == nil && rj.Kind == store.JobImport {
			seen[rid] = true
			rs = append(rs, rj)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].CreatedAt.Before(rs[j].CreatedAt) })
	for _, rj := range rs {
		out = append(out, JobRestore{JobID: rj.ID, Status: rj.Status, FinishedAt: rfc3339(rj.FinishedAt), Succeeded: rj.Succeeded, Failed: rj.Failed})
	}
	return out
}

// withOldRestoreOf sets RestoreOf of an import a restore made before
// imports.Settings had it: such an import reads the backup unpacked in
// its delete's folder (reports/DELETE/restore/), and that delete's log
// names the import (restoreLine).
func (a *App) withOldRestoreOf(ctx context.Context, s JobSummary, j store.Job) JobSummary {
	if j.Kind != store.JobImport || s.RestoreOf != "" || len(j.Files) == 0 {
		return s
	}
	dir := filepath.Dir(j.Files[0].Path)
	if filepath.Base(dir) != "restore" {
		return s
	}
	did := filepath.Base(filepath.Dir(dir))
	d, err := a.jobs.Get(ctx, did)
	if err != nil || d.Job.Kind != store.JobDelete {
		return s
	}
	for _, e := range d.Events {
		if e.Message == restoreLine+j.ID {
			s.RestoreOf = did
			break
		}
	}
	return s
}

// withCascaded adds how many detail records a delete job took with it,
// once it is done: the figure is the captured preview's, and before the
// last batch commits (running, interrupted — the rollback undid the batch —,
// canceled, failed) it is not what went, so it stays 0 (the page says —).
func (a *App) withCascaded(s JobSummary) JobSummary {
	if s.Kind == store.JobDelete && s.Status == store.StatusDone {
		s.Cascaded = deletion.New(a.ws, a.jobs, deletion.Options{}).CascadedOf(s.JobID)
	}
	return s
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// ListJobs lists the job history, newest first.
func (a *JobsAPI) ListJobs(f JobFilter) ([]JobSummary, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	js, err := a.jobs.List(ctx, jobs.Filter{Kind: f.Kind, Status: f.Status, Limit: f.Limit})
	if err != nil {
		return nil, fail(err)
	}
	out := make([]JobSummary, 0, len(js))
	names := map[string]string{}
	for _, j := range js {
		out = append(out, a.withSchedule(ctx, a.withCascaded(a.withBackup(a.withOldRestoreOf(ctx, jobSummary(j), j))), names))
	}
	return out, nil
}

// GetJob returns one job with its event log.
func (a *JobsAPI) GetJob(id string) (JobDetail, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	d, err := a.jobs.Get(ctx, id)
	if err != nil {
		return JobDetail{}, fail(err)
	}
	out := JobDetail{JobSummary: a.withSchedule(ctx, a.withCascaded(a.withBackup(a.withOldRestoreOf(ctx, jobSummary(d.Job), d.Job))), map[string]string{}), Events: []JobEvent{}, ErrorReports: []JobReport{},
		Restores: a.restoresOf(ctx, d)}
	if out.HasErrors {
		out.ErrorReport = d.ErrorReport
	}
	for _, r := range jobReports(d.Job) {
		out.ErrorReports = append(out.ErrorReports, JobReport{Object: r.Object, Name: filepath.Base(r.Path), Rows: r.Rows})
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, JobEvent{At: rfc3339(e.At), Level: e.Level, Message: e.Message})
	}
	return out, nil
}

// CancelJob cancels a queued or running job (also one of another process);
// it stops after the batches in flight and can be resumed.
func (a *JobsAPI) CancelJob(id string) error {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	return fail(a.jobs.Cancel(ctx, id))
}

// ResumeJob continues an interrupted or canceled import, or an
// interrupted, canceled or failed delete (on exactly the records it
// captured, skipping the batches that committed), where it stopped; it
// returns the job's ID (the same).
func (a *JobsAPI) ResumeJob(id string) (string, error) {
	ctx, cancel := a.call(10 * time.Second)
	j, err := a.jobs.Get(ctx, id)
	cancel()
	if err != nil {
		return "", fail(err)
	}
	if j.Kind == store.JobDelete {
		// The job runs on the app's context: it outlives this call.
		if err := (&DeleteAPI{a.App}).service().Resume(a.ctx, id, ""); err != nil {
			return "", fail(err)
		}
		return id, nil
	}
	if err := a.imports.Resume(a.ctx, id, ""); err != nil {
		return "", fail(err)
	}
	return id, nil
}

// RestartJob runs a finished import again as a new job — all rows, or
// with failedOnly those of its error report — and returns the new job's ID.
func (a *JobsAPI) RestartJob(id string, failedOnly bool) (string, error) {
	nid, err := a.imports.Restart(a.ctx, id, failedOnly, "")
	return nid, fail(err)
}

// jobReports are the error reports of j that exist (an import's every
// object's; another job's one report).
func jobReports(j store.Job) []imports.Report {
	if j.Kind == store.JobImport {
		return imports.JobReports(j)
	}
	if j.ErrorReport != "" && fileExists(j.ErrorReport) {
		return []imports.Report{{Object: j.Object, Path: j.ErrorReport}}
	}
	return nil
}

// errorReportPath is the error report of a job for object ("" = the
// master's, or the first there is), for the HTTP download.
func (a *JobsAPI) errorReportPath(id, object string) (string, error) {
	ctx, cancel := a.call(10 * time.Second)
	defer cancel()
	d, err := a.jobs.Get(ctx, id)
	if err != nil {
		return "", fail(err)
	}
	reports := jobReports(d.Job)
	for _, r := range reports {
		if object == "" || strings.EqualFold(r.Object, object) {
			return r.Path, nil
		}
	}
	if object != "" && len(reports) > 0 {
		return "", fail(apperr.New(apperr.NotFound, "job %s has no error report for %s", id, object))
	}
	return "", fail(apperr.New(apperr.NotFound, "job %s has no error report", id))
}

// SaveErrorReport asks where to save a job's (master's) error report and
// copies it there (window only); "" when the user cancels.
func (a *JobsAPI) SaveErrorReport(id string) (string, error) {
	return a.SaveObjectReport(id, "")
}

// SaveObjectReport asks where to save the error report of one object of
// a job (a detail's in a master–detail import; "" = the master's) and
// copies it there (window only); "" when the user cancels.
func (a *JobsAPI) SaveObjectReport(id, object string) (string, error) {
	src, err := a.errorReportPath(id, object)
	if err != nil {
		return "", err
	}
	d := a.dialogs()
	if d == nil {
		return "", fail(apperr.New(apperr.Invalid, "download the report from /api/download?job=%s&object=%s", id, object))
	}
	dst, err := d.SaveFile("Save error report", filepath.Base(src))
	if err != nil || dst == "" {
		return "", fail(err)
	}
	return dst, fail(copyFile(src, dst))
}

// download opens a job's error report for the HTTP download route. It is
// not a bound method: a stream does not cross the Wails bridge.
func (a *JobsAPI) download(id, object string) (name string, r io.ReadCloser, err error) {
	p, err := a.errorReportPath(id, object)
	if err != nil {
		return "", nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return "", nil, apperr.Wrap(err, apperr.NotFound, "the error report of job %s is gone", id)
	}
	return filepath.Base(p), f, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return apperr.Wrap(err, apperr.NotFound, "cannot read %s", src)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "cannot write %s", dst)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return apperr.Wrap(err, apperr.Invalid, "cannot write %s", dst)
	}
	return out.Close()
}
