package export

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/destination"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// Settings are what an export job saves, and all it needs to run again: a
// resume, a restart or a scheduled run. They hold no secret.
type Settings struct {
	// CRM is the saved connection's name, or the --crm value without its
	// password.
	CRM     string  `json:"crm"`
	Request Request `json:"request"`
	// Destination is the --to value: a folder, a URL without password, or
	// a saved destination's name.
	Destination string `json:"destination"`
	// DestinationDescription is how the destination described itself when
	// the job was made (for the history; never a secret).
	DestinationDescription string `json:"destinationDescription,omitempty"`
}

// NotePrefix starts the job log lines that are notes for the user (see
// Result.Notes).
const NotePrefix = "note: "

// OpenDestination resolves a --to value into a destination.
type OpenDestination func(ctx context.Context, spec string) (destination.Destination, error)

// Service runs exports as jobs of one registry. It is safe for concurrent
// use.
type Service struct {
	ws   *workspace.Workspace
	jobs *jobs.Registry
	open OpenDestination
}

// NewService returns a Service over an open workspace and a registry;
// open resolves destinations (nil: DefaultDestinations(ws)).
func NewService(ws *workspace.Workspace, reg *jobs.Registry, open OpenDestination) *Service {
	if open == nil {
		open = DefaultDestinations(ws)
	}
	return &Service{ws: ws, jobs: reg, open: open}
}

// RunJob starts set as a new export job of reg and returns its ID at once:
// the entry point of scheduled runs, with settings saved earlier (a job's
// Settings, or ones checked by Check). Wait for it with reg.Wait.
func RunJob(ctx context.Context, ws *workspace.Workspace, reg *jobs.Registry, set Settings) (string, error) {
	return NewService(ws, reg, nil).StartSettings(ctx, set, "")
}

// Start checks and resolves the export and runs it as a new job; it
// returns the job's ID at once. Every "cannot run" problem — a bad
// request, an unknown object or field, a filter that does not fit, no
// connection, a destination that cannot be opened — is returned before a
// job exists.
func (s *Service) Start(ctx context.Context, crmName string, req Request, destSpec string) (string, error) {
	return s.StartSettings(ctx, Settings{CRM: crmName, Request: req, Destination: destSpec}, "")
}

// StartSettings is Start with saved settings; note, when not "", is the
// job log's first line (e.g. "scheduled run of …").
func (s *Service) StartSettings(ctx context.Context, set Settings, note string) (string, error) {
	p, err := s.prepare(ctx, set)
	if err != nil {
		return "", err
	}
	j, err := s.jobs.Create(ctx, jobs.Spec{Kind: store.JobExport, Connection: p.set.CRM,
		Object: p.set.Request.Object, Settings: p.set})
	if err != nil {
		p.close()
		return "", err
	}
	if note != "" {
		s.jobs.Event(j.ID, store.LevelInfo, note)
	}
	if err := s.jobs.Start(ctx, j.ID, s.jobFunc(j.ID, p)); err != nil {
		p.close()
		return "", err
	}
	return j.ID, nil
}

// Check resolves set as Start would — CRM, object, fields, filter,
// destination — without running it: for a schedule being saved.
func (s *Service) Check(ctx context.Context, set Settings) error {
	p, err := s.prepare(ctx, set)
	if err != nil {
		return err
	}
	p.close()
	return nil
}

// Resume runs the export job id again, as the same job, with its saved
// settings: an export writes each file whole, so it starts from the first
// file (files already published are written again). It takes an
// interrupted, canceled or failed job; crm, when not "", replaces the
// saved CRM (e.g. with a password).
func (s *Service) Resume(ctx context.Context, id, crmName string) error {
	j, set, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	switch j.Status {
	case store.StatusInterrupted, store.StatusCanceled, store.StatusFailed:
	default:
		return apperr.New(apperr.Conflict, "job %s is %s: only an interrupted, canceled or failed export can be run again as the same job", id, j.Status)
	}
	if crmName != "" {
		set.CRM = crmName
	}
	p, err := s.prepare(ctx, set)
	if err != nil {
		return err
	}
	s.jobs.Event(id, store.LevelInfo, "run again from the first file: an export publishes each file whole")
	if err := s.jobs.Start(ctx, id, s.jobFunc(id, p)); err != nil {
		p.close()
		return err
	}
	return nil
}

// Restart runs the export job id again as a new job with its saved
// settings and returns the new job's ID.
func (s *Service) Restart(ctx context.Context, id, crmName string) (string, error) {
	j, set, err := s.load(ctx, id)
	if err != nil {
		return "", err
	}
	if !store.Terminal(j.Status) {
		return "", apperr.New(apperr.Conflict, "job %s is still %s: cancel it first", id, j.Status)
	}
	if crmName != "" {
		set.CRM = crmName
	}
	return s.StartSettings(ctx, set, "restart of job "+id)
}

// IsExport reports whether the job id is an export (for `jobs resume`).
func (s *Service) IsExport(ctx context.Context, id string) (bool, error) {
	d, err := s.jobs.Get(ctx, id)
	if err != nil {
		return false, err
	}
	return d.Kind == store.JobExport, nil
}

// load reads an export job and its settings.
func (s *Service) load(ctx context.Context, id string) (store.Job, Settings, error) {
	d, err := s.jobs.Get(ctx, id)
	if err != nil {
		return store.Job{}, Settings{}, err
	}
	if d.Kind != store.JobExport {
		return store.Job{}, Settings{}, apperr.New(apperr.Conflict, "job %s is an %s job, not an export", id, d.Kind)
	}
	var set Settings
	if err := json.Unmarshal(d.Settings, &set); err != nil || set.Destination == "" {
		return store.Job{}, Settings{}, apperr.New(apperr.Conflict, "job %s has no saved export settings to run again", id)
	}
	return d.Job, set, nil
}

// prepared is an export resolved before its job runs.
type prepared struct {
	set    Settings
	target crm.Target
	dest   destination.Destination
}

func (p *prepared) close() {
	p.target.Close()
	p.dest.Close()
}

// prepare opens the CRM and the destination and checks the request
// against the catalog.
func (s *Service) prepare(ctx context.Context, set Settings) (*prepared, error) {
	crmSpec, destSpec := strings.TrimSpace(set.CRM), strings.TrimSpace(set.Destination)
	set.CRM, set.Destination = crm.WithoutPassword(crmSpec), crm.WithoutPassword(destSpec)
	if destSpec == "" {
		return nil, apperr.New(apperr.Invalid, "no destination: give a folder, a URL or a saved destination's name")
	}
	if err := set.Request.check(); err != nil {
		return nil, err
	}
	spec, err := s.ws.Conns.Resolve(ctx, crmSpec)
	if err != nil {
		return nil, err
	}
	t, err := crm.Open(ctx, spec)
	if err != nil {
		return nil, err
	}
	pl, err := newPlan(ctx, t, set.Request)
	if err != nil {
		t.Close()
		return nil, err
	}
	if set.Request.Zip == "" {
		// The default zip name carries the start time: pin it in the job's
		// settings, so a run again of the job replaces its own unfinished
		// NAME.part instead of leaving it beside a differently named zip.
		set.Request.Zip = pl.zip
	}
	d, err := s.open(ctx, destSpec)
	if err != nil {
		t.Close()
		return nil, err
	}
	set.DestinationDescription = d.Describe()
	if s.ws.Dests != nil {
		if desc, err := s.ws.Dests.Describe(ctx, destSpec); err == nil {
			set.DestinationDescription = desc // a saved destination's name with its URL
		}
	}
	return &prepared{set: set, target: t, dest: d}, nil
}

// jobFunc runs p as the job id and records its files in the history.
func (s *Service) jobFunc(id string, p *prepared) jobs.Func {
	return func(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
		defer p.close()
		t0 := time.Now()
		res, err := Run(ctx, p.target, p.set.Request, p.dest, report)
		for _, n := range res.Notes {
			s.jobs.Event(id, store.LevelWarn, NotePrefix+n)
		}
		if len(res.Files) > 0 {
			_ = s.jobs.SetFiles(context.WithoutCancel(ctx), id, jobFiles(res.Files))
			for _, f := range res.Files {
				s.jobs.Event(id, store.LevelInfo, describeFile(f))
			}
		}
		out := jobs.Outcome{Total: res.Rows, Succeeded: res.Rows}
		if err != nil && ctx.Err() != nil {
			out.Canceled = true
			out.Message = fmt.Sprintf("canceled after %d rows; no file of the step it was on was published; run it again with: batchdesk jobs resume %s", res.Rows, id)
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out.Message = fmt.Sprintf("exported %d rows in %d file(s) to %s in %.1f s", res.Rows, countFiles(res.Files), p.set.DestinationDescription, time.Since(t0).Seconds())
		return out, nil
	}
}

// jobFiles are an export's files as the job history keeps them.
func jobFiles(fs []File) []store.JobFile {
	out := make([]store.JobFile, len(fs))
	now := time.Now().UTC()
	for i, f := range fs {
		out[i] = store.JobFile{Path: f.Location, Size: f.Bytes, ModTime: now, Fingerprint: f.SHA256,
			Name: f.Name, Object: f.Object, Rows: f.Rows, Archive: f.Archive}
	}
	return out
}

// FilesOf turns a job's recorded files back into Files (the --json
// summary, the window).
func FilesOf(js []store.JobFile) []File {
	out := make([]File, 0, len(js))
	for _, j := range js {
		out = append(out, File{Name: j.Name, Object: j.Object, Rows: j.Rows, Bytes: j.Size, SHA256: j.Fingerprint,
			Location: j.Path, Archive: j.Archive})
	}
	return out
}

func describeFile(f File) string {
	where := f.Location
	if f.Archive != "" {
		where = "in " + f.Archive
	}
	return fmt.Sprintf("file %s: %d rows, %d bytes, sha256 %s, %s", f.Name, f.Rows, f.Bytes, f.SHA256, where)
}

// countFiles counts the published files (a zip counts once).
func countFiles(fs []File) int {
	n := 0
	for _, f := range fs {
		if f.Archive == "" {
			n++
		}
	}
	return n
}
