package imports

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// Service runs imports (and their validations and rehearsals) as jobs of
// one registry: the command line's, or the window's. It is safe for
// concurrent use.
type Service struct {
	ws   *workspace.Workspace
	jobs *jobs.Registry
	opt  Options

	mu   sync.Mutex
	logs map[string]*jobLog // open problem logs by job ID
}

// Options tune a Service.
type Options struct {
	// ProblemLogs keeps each job's failing rows in the data folder's
	// reports/<jobId>-problems.jsonl, for Problems (the preview grid).
	ProblemLogs bool
}

// New returns a Service over an open workspace and a job registry.
func New(ws *workspace.Workspace, reg *jobs.Registry, opt Options) *Service {
	return &Service{ws: ws, jobs: reg, opt: opt, logs: map[string]*jobLog{}}
}

// Start checks and resolves req, then runs it as a new import job and
// returns its ID at once. Every "cannot run" problem (a bad request, an
// unreadable or oversized file, no connection, an unknown object, a
// mapping that does not fit) is returned before a job exists. The job's
// context derives from ctx.
func (s *Service) Start(ctx context.Context, req Request) (string, error) {
	p, err := s.prepare(ctx, req)
	if err != nil {
		return "", err
	}
	return s.startNew(ctx, p, "")
}

// startNew records a new job for p (with a first log line note, if any)
// and starts it.
func (s *Service) startNew(ctx context.Context, p *prepared, note string) (string, error) {
	j, err := s.jobs.Create(ctx, jobs.Spec{Kind: store.JobImport, Connection: p.saved.CRM,
		Object: p.object.APIName, Settings: p.saved, Files: p.fingerprints})
	if err != nil {
		p.target.Close()
		return "", err
	}
	if note != "" {
		s.jobs.Event(j.ID, store.LevelInfo, note)
	}
	return j.ID, s.launch(ctx, j.ID, p, run{})
}

// Resume continues the interrupted, canceled or failed import job id where
// it stopped (no row lost, none written twice), with its saved settings;
// crm, when not "", replaces the saved CRM (e.g. with a password: one in
// the job's URL is never saved, and a login without it says a password is
// needed). It refuses (code Conflict) a job in another state or whose
// files changed.
func (s *Service) Resume(ctx context.Context, id, crm string) error {
	j, req, form, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if !resumable(j.Status) {
		return apperr.New(apperr.Conflict, "job %s is %s: only an interrupted, canceled or failed job can be resumed (restart it instead)", j.ID, j.Status)
	}
	if err := sameFiles(j, "resume"); err != nil {
		return err
	}
	saved := req.CRM
	if req, err = s.complete(ctx, req, form, crm); err != nil {
		return needsPassword(err, j.ID, "resume", saved, crm)
	}
	p, err := s.prepare(ctx, req)
	if err != nil {
		return needsPassword(err, j.ID, "resume", saved, crm)
	}
	return s.resume(ctx, j, p, j.Succeeded)
}

// resume launches the job j again on p, skipping what its ledger holds.
func (s *Service) resume(ctx context.Context, j store.Job, p *prepared, prior int64) error {
	if j.ErrorReport != "" {
		p.errorsPath = reportBase(j)
	}
	return s.launch(ctx, j.ID, p, run{resume: true, prior: prior})
}

// Restart runs the finished import job id again as a new job with its
// saved settings and returns the new job's ID: all its files, or with
// failedOnly its error report (the failing rows with their original
// columns; _row and _error are ignored). crm, when not "", replaces the
// saved CRM. Running all rows of a job whose ledger says it wrote some
// never writes them twice: a job that stopped before its end continues
// from the ledger (the same job ID is returned), a finished insert is
// refused (Conflict) with the reason.
func (s *Service) Restart(ctx context.Context, id string, failedOnly bool, crm string) (string, error) {
	j, req, form, err := s.load(ctx, id)
	if err != nil {
		return "", err
	}
	if j.Status == store.StatusRunning || j.Status == store.StatusQueued {
		return "", apperr.New(apperr.Conflict, "job %s is still %s: cancel it first", j.ID, j.Status)
	}
	saved := req.CRM
	if req, err = s.complete(ctx, req, form, crm); err != nil {
		return "", needsPassword(err, j.ID, "restart", saved, crm)
	}
	if failedOnly {
		if err := failedRowsOnly(j, &req); err != nil {
			return "", err
		}
	}
	req.Errors = ""
	p, err := s.prepare(ctx, req)
	if err != nil {
		return "", needsPassword(err, j.ID, "restart", saved, crm)
	}
	if !failedOnly {
		// Running all rows of a job that wrote some would write them twice.
		written, err := load.Written(ctx, p.target, j.ID)
		if err != nil {
			p.target.Close()
			return "", fmt.Errorf("read the resume ledger of job %s: %w", j.ID, err)
		}
		if written > 0 {
			if err := restartRefusal(j, req, written); err != nil {
				p.target.Close()
				return "", err
			}
			s.jobs.Event(j.ID, store.LevelInfo, fmt.Sprintf("restart: %d rows were written already, so the job continues from its resume ledger", written))
			return j.ID, s.resume(ctx, j, p, written)
		}
	}
	return s.startNew(ctx, p, fmt.Sprintf("restart of job %s (failed rows only: %v)", j.ID, failedOnly))
}

// failedRowsOnly points req at the error reports of job j: the master's
// (or only object's), and each detail's with its mapping and master column,
// linked to the masters j wrote through their saved IDs. When only details
// failed, the master is a header-only file: nothing to send again there.
func failedRowsOnly(j store.Job, req *Request) error {
	reports := JobReports(j)
	if len(reports) == 0 {
		return apperr.New(apperr.Conflict, "job %s has no error report: no row failed", j.ID)
	}
	details := req.Details
	masterFormat := req.format(req.Files[0])
	req.Details = nil
	// The reports are UTF-8 with BOM, comma-separated.
	req.Formats = nil
	if len(details) == 0 {
		req.Files = []string{reports[0].Path}
		req.MasterKey = ""
		return nil
	}
	master := ""
	for _, r := range reports {
		if strings.EqualFold(r.Object, j.Object) {
			master = r.Path
		}
	}
	for _, d := range details {
		if d.MasterColumn == "" {
			d.MasterColumn = req.MasterKey
		}
		for _, r := range reports {
			if strings.EqualFold(r.Object, d.Object) && r.Path != master {
				d.Files = []string{r.Path}
				req.Details = append(req.Details, d)
			}
		}
	}
	if len(req.Details) == 0 {
		req.MasterKey = ""
	}
	base := reportBase(j)
	if master == "" {
		var err error
		if master, err = headerOnly(req.Files[0], masterFormat, filepath.Join(filepath.Dir(base), "no-failed-masters.csv")); err != nil {
			return err
		}
	}
	req.Files = []string{master}
	if p := masterIDsPath(base); fileExists(p) {
		req.MasterIDs = p
	}
	return nil
}

// headerOnly writes, at out, a report with the header of the file at src
// and no rows.
func headerOnly(src string, f source.Format, out string) (string, error) {
	header, err := ReadHeader(src, f, 1<<20)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Conflict, "cannot send the failed details again: the master file %s cannot be read", src)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(append(header, "_row", "_error"))
	w.Flush()
	if err := os.WriteFile(out, []byte("\uFEFF"+b.String()), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", out, err)
	}
	return out, nil
}

// load reads an import job and its saved request. A job an older
// Batchdesk saved in the command line's form comes with that form, to be
// completed once its CRM is known (complete); req then holds its files.
func (s *Service) load(ctx context.Context, id string) (j store.Job, req Request, form *Form, err error) {
	d, err := s.jobs.Get(ctx, id)
	if err != nil {
		return store.Job{}, Request{}, nil, err
	}
	if d.Kind != store.JobImport {
		return store.Job{}, Request{}, nil, apperr.New(apperr.Conflict, "job %s is an %s job: only import jobs can be resumed or restarted here", id, d.Kind)
	}
	req, form, ok := decodeSaved(d.Settings)
	if !ok {
		return store.Job{}, Request{}, nil, apperr.New(apperr.Conflict, "job %s has no saved import settings to run again", id)
	}
	return d.Job, req, form, nil
}

// decodeSaved reads a job's saved settings: a Request, or (no mapping) the
// command line's Form of an older Batchdesk, with req holding its files
// and how to read them. ok is false when there are no files to run.
func decodeSaved(raw []byte) (req Request, form *Form, ok bool) {
	var probe struct {
		Mapping json.RawMessage `json:"mapping"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return Request{}, nil, false
	}
	if probe.Mapping != nil {
		err := json.Unmarshal(raw, &req)
		return req, nil, err == nil && len(req.Files) > 0
	}
	var f Form
	if err := json.Unmarshal(raw, &f); err != nil || len(f.Files) == 0 {
		return Request{}, nil, false
	}
	req = Request{CRM: f.CRM, Files: f.Files}
	if format, err := ParseFormat(f.Encoding, f.Delimiter); err == nil && format != (source.Format{}) {
		req.Formats = map[string]source.Format{f.Files[0]: format}
	}
	return req, &f, true
}

// complete is req with its CRM replaced by crm when not "", or, for a
// job saved in the command line's form, that form completed.
func (s *Service) complete(ctx context.Context, req Request, form *Form, crm string) (Request, error) {
	if crm != "" {
		req.CRM = crm
	}
	if form == nil {
		return req, nil
	}
	f := *form
	f.CRM = req.CRM
	return s.Complete(ctx, f)
}

// reportsDir is the data folder's reports/, created when missing.
func (s *Service) reportsDir() (string, error) {
	dir := filepath.Join(s.ws.Home, "reports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	return dir, nil
}
