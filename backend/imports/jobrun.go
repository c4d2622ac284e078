package imports

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// resumable reports whether a job in status st can continue from its
// resume ledger: one that stopped before its end, however it stopped.
func resumable(st string) bool {
	return st == store.StatusInterrupted || st == store.StatusCanceled || st == store.StatusFailed
}

// sameFiles refuses (Conflict) to continue job j when one of its files
// changed since it started.
func sameFiles(j store.Job, verb string) error {
	for _, f := range j.Files {
		same, err := jobs.SameFile(f)
		if err != nil {
			return apperr.Wrap(err, apperr.Conflict, "cannot %s job %s: %s cannot be read", verb, j.ID, f.Path)
		}
		if !same {
			return apperr.New(apperr.Conflict, "cannot %s job %s: %s changed since the job started (start a new import of it instead)", verb, j.ID, f.Path)
		}
	}
	return nil
}

// restartRefusal says why all rows of job j, which wrote some already,
// cannot run again (nil: it can continue from its ledger instead).
func restartRefusal(j store.Job, req Request, written int64) error {
	if resumable(j.Status) {
		if err := sameFiles(j, "restart"); err != nil {
			return apperr.New(apperr.Conflict, "job %s already wrote %d rows and %s: running all its rows again would write those twice; restart only its failed rows or start a new import", j.ID, written, strings.TrimPrefix(apperr.MessageOf(err), "cannot restart job "+j.ID+": ")).For(SettingFailedOnly)
		}
		return nil
	}
	mode := req.Mapping.Mode
	if mode == "" && req.Mapping.Key != "" {
		mode = mapping.Upsert // a key without a mode
	}
	if mode == "" || mode == mapping.Insert {
		return apperr.New(apperr.Conflict, "job %s ran to its end and added %d rows: running all its rows again would add them a second time; restart only its failed rows or start a new import", j.ID, written).For(SettingFailedOnly)
	}
	return nil // updates and upserts of the same rows change nothing twice
}

// needsPassword turns the failed login of a job run again without a
// password into what to do: the password of a URL is never saved, so a
// job started with one needs it again.
func needsPassword(err error, id, verb, saved, override string) error {
	if override != "" || apperr.CodeOf(err) != apperr.AuthFailed || os.Getenv("PGPASSWORD") != "" {
		return err
	}
	u, perr := url.Parse(saved)
	if perr != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.User == nil {
		return err
	}
	if _, has := u.User.Password(); has {
		return err
	}
	return apperr.Wrap(err, apperr.AuthFailed, "a password is needed to %s job %s: the password of its CRM URL is never saved; give the URL again with it ('postgres://%s:PASSWORD@%s%s'), set PGPASSWORD, or use a saved connection",
		verb, id, u.User.Username(), u.Host, u.Path).For(SettingCRM)
}

// run is how a prepared import runs: from the start, or resumed.
type run struct {
	resume bool
	prior  int64 // rows a resumed job had written before
}

// launch starts the job id running p; the job closes p.target when it
// ends (launch does when the job cannot start).
func (s *Service) launch(ctx context.Context, id string, p *prepared, how run) error {
	dir, err := s.reportsDir()
	if err != nil {
		p.target.Close()
		return err
	}
	if p.errorsPath == "" {
		// A folder per job keeps reports apart; the file keeps the input's
		// name, so a downloaded report (and a restart of it) reads well.
		if p.errorsPath, err = defaultReportPath(dir, id, p.saved.Files); err != nil {
			p.target.Close()
			return err
		}
	}
	var log *ProblemLog
	if s.opt.ProblemLogs {
		if log, err = s.openLog(id, filepath.Join(dir, id+problemsSuffix), p.header); err != nil {
			p.target.Close()
			return err
		}
	}
	if err := s.jobs.Start(ctx, id, p.jobFunc(id, how, log)); err != nil {
		p.target.Close()
		if log != nil {
			log.Close()
		}
		return err
	}
	return nil
}

// jobFunc is the job's function: the import pipeline (Resume when
// resuming), its failing rows into log when there is one.
func (p *prepared) jobFunc(id string, how run, log *ProblemLog) jobs.Func {
	return func(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
		defer p.target.Close()
		if log != nil {
			defer log.Close()
		}
		req := p.request(id, log)
		progress := func(pr pipeline.Progress) {
			// Total is the rows read so far (the page estimates the whole from
			// the bytes); Done always adds up to Succeeded + Failed. The phase
			// is no message: a code word is not a sentence.
			report(jobs.Progress{Total: pr.Rows, Done: pr.Succeeded + pr.Failed, Succeeded: pr.Succeeded, Failed: pr.Failed,
				BytesRead: pr.BytesRead, BytesTotal: pr.BytesTotal})
		}
		start := pipeline.Run
		if how.resume {
			start = pipeline.Resume
		}
		res, err := start(ctx, req, progress)
		if how.resume && how.prior == 0 && apperr.CodeOf(err) == apperr.NotFound {
			// The job stopped before its first batch reached the CRM: nothing
			// was written, so running it from the start is the resume.
			res, err = pipeline.Run(ctx, req, progress)
		}
		out := jobs.Outcome{Total: res.Total, Succeeded: res.Succeeded, Failed: res.Failed, ErrorReport: res.ErrorsFile,
			Added: res.Added, Updated: res.Updated}
		if werr := writeMasterIDs(req.ErrorsPath, res); werr != nil && err == nil {
			err = fmt.Errorf("keep the masters of the failed details for a restart: %w", werr)
		}
		if err != nil && ctx.Err() != nil {
			out.Canceled = true
			return out, nil
		}
		if res.Interrupted {
			out.Interrupted = true
			return out, err
		}
		if err == nil && p.saved.ValidateOnly {
			out.Message = fmt.Sprintf("validated %d rows: %d valid, %d with problems", res.Total, res.Succeeded, res.Failed)
			if res.Blank > 0 {
				out.Message += fmt.Sprintf(" (%d blank rows skipped)", res.Blank)
			}
		}
		return out, err
	}
}

// request is the pipeline's request for the job id.
func (p *prepared) request(id string, log *ProblemLog) pipeline.Request {
	set := p.saved
	req := pipeline.Request{Target: p.target, Object: p.object.APIName, Mapping: p.mapping, Files: set.Files,
		Source: source.Options{MaxBytes: p.maxBytes, Limits: p.limits}, Formats: set.Formats, BatchSize: p.batchSize,
		Rehearse: set.Rehearse, ValidateOnly: set.ValidateOnly, JobID: id, ErrorsPath: p.errorsPath,
		MasterKey: set.MasterKey, Details: p.details, MasterIDs: p.masterIDs, Zone: p.zone, Hashes: map[string]string{}}
	// prepare hashed the files already (for the job record): the pipeline
	// need not read them again for the resume ledger.
	for i, fp := range p.fingerprints {
		if i < len(set.Files) {
			req.Hashes[set.Files[i]] = fp.Fingerprint
		}
	}
	if log != nil {
		req.OnFailedRow = func(r pipeline.FailedRow) { _ = log.Add(problemRow(r)) }
	}
	return req
}

// problemRow is a failing row as the problem log keeps it: the file's
// name, not its path.
func problemRow(r pipeline.FailedRow) pipeline.FailedRow {
	r.File = filepath.Base(r.File)
	if r.Cells == nil {
		r.Cells = []string{}
	}
	return r
}

// defaultReportPath is reports/<jobId>/<first input's name>-errors.csv.
func defaultReportPath(dir, id string, files []string) (string, error) {
	base := "import"
	if len(files) > 0 {
		base = strings.TrimSuffix(filepath.Base(files[0]), filepath.Ext(files[0]))
	}
	jobDir := filepath.Join(dir, id)
	if err := os.MkdirAll(jobDir, 0o700); err != nil {
		return "", fmt.Errorf("create the report folder: %w", err)
	}
	return filepath.Join(jobDir, base+"-errors.csv"), nil
}
