package pipeline

import (
	"context"
	"slices"
	"strings"
	"sync"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/ingest/validate"
)

// stageSpec is one object of the job: the master (or only) one, or a detail.
type stageSpec struct {
	obj     *catalog.Object
	mapping mapping.Mapping
	files   []string
	report  string
	stage   string // ledger stage ("" for the master)
	// masterKey is the master file's key column; keys collects its rows.
	masterKey string
	keys      *load.KeyMap
	// link is a detail's field to its master, filled from the mapping's
	// column for it (the master column), resolved through linkKeys first.
	link     *catalog.Field
	linkKeys *load.KeyMap
	// masterColumn is a detail's column of the master's key; failedLinks
	// collects the written masters of its failing rows.
	masterColumn string
	failedLinks  *map[string]string
	// headers are the mapped columns' headers by lowercase field API name
	// (set by stage), to place server problems in their column.
	headers map[string]string
}

// batch is a load.Batch plus where its records are in the file, to read
// the failing ones again for the error report.
type batch struct {
	load.Batch
	path    string
	file    *source.File
	offsets []int64 // per row
}

// rawOf reads the record of line again (the error report's columns).
func (b *batch) rawOf(line int64) []string {
	for i := range b.Rows {
		if b.Rows[i].Line == line {
			if raw, err := b.file.ReadAt(b.offsets[i]); err == nil {
				return raw
			}
			break
		}
	}
	return nil
}

// openFile opens one of the job's files as the request says to read it.
func (j *job) openFile(path string) (*source.File, error) {
	opts := j.req.Source
	if f, ok := j.req.Formats[path]; ok {
		opts = opts.With(f)
	}
	return source.Open(path, opts)
}

// validator prepares the checks of one file's header.
func (j *job) validator(s *stageSpec, header []string, path string) (*validate.Validator, error) {
	m := s.mapping
	if m.Object == "" {
		m.Object = s.obj.APIName
	}
	v, err := validate.New(s.obj, &m, header, j.req.Zone)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "%s: %v", path, err)
	}
	return v, nil
}

// plan is the load plan of a stage, from the validator's columns.
func (j *job) plan(s *stageSpec, v *validate.Validator) load.Plan {
	req := j.req
	ts := v.Targets()
	cols := make([]load.Column, len(ts))
	for i, t := range ts {
		cols[i] = load.Column{Field: *t.Field, Resolve: t.Cell.Column.LookupBy}
		if s.link != nil && t.Field.APIName == s.link.APIName {
			cols[i].MasterKeys = s.linkKeys
		}
	}
	p := load.Plan{Object: s.obj, Columns: cols, Mode: load.Mode(s.mapping.EffectiveMode()), Key: s.mapping.Key,
		Stage: s.stage, RecordKeys: s.keys}
	switch {
	case req.ValidateOnly:
		p.RecordKeys = nil // nothing is written: keys are noted by the pipeline
	case req.Rehearse:
		p.Session = j.rehearsal
	default:
		p.JobID = req.JobID
	}
	return p
}

// stage reads, validates and loads one object's files; it returns the
// error report written (its Path "" when none).
func (j *job) stage(ctx context.Context, s stageSpec) (ReportFile, error) {
	s.headers = make(map[string]string, len(s.mapping.Columns))
	for h, c := range s.mapping.Columns {
		s.headers[strings.ToLower(c.Field)] = h
	}
	r := &stageRun{j: j, s: &s, batches: make(chan batch, j.req.Workers)}
	r.ctx, r.cancel = context.WithCancelCause(ctx)
	defer r.cancel(nil)
	readErr := r.readFiles(ctx)
	if err := r.finish(ctx); err != nil && readErr == nil && r.firstErr == nil {
		readErr = err
	}
	path, reportErr := r.rep.close()
	r.keepFailedLinks()
	out := ReportFile{Object: s.obj.APIName, Path: path, Rows: r.rep.count()}
	return out, r.outcome(ctx, readErr, reportErr)
}

// stageRun is one stage as it runs: the files read in turn, each record
// validated and the good ones batched for the workers, which load one
// batch at a time until the first failure stops them all.
type stageRun struct {
	j      *job
	s      *stageSpec
	rep    *report
	loader *load.Loader
	// done are the batches the resume ledger has committed already.
	done map[int]load.LedgerEntry
	// ctx is canceled by the first failure (cancel), which firstErr keeps.
	ctx      context.Context
	cancel   context.CancelCauseFunc
	once     sync.Once
	firstErr error
	batches  chan batch
	wg       sync.WaitGroup
	open     []*source.File
}

// fail stops the stage on its first failure.
func (r *stageRun) fail(err error) {
	r.once.Do(func() { r.firstErr = err; r.cancel(err) })
}

// readFiles reads the stage's files in turn, starting the workers once
// the first header is known; it returns the first error of reading.
func (r *stageRun) readFiles(ctx context.Context) error {
	var v *validate.Validator
	var header []string
	for i, path := range r.s.files {
		sf, err := r.j.openFile(path)
		if err != nil {
			return err
		}
		r.open = append(r.open, sf)
		if i == 0 {
			r.rep = r.newReport(sf.Header())
		}
		if v == nil || !slices.Equal(header, sf.Header()) {
			if v, err = r.j.validator(r.s, sf.Header(), path); err != nil {
				return err
			}
			if r.loader == nil {
				if err := r.startWorkers(ctx, v); err != nil {
					return err
				}
			}
			header = sf.Header()
		}
		keyIdx := -1
		if r.s.masterKey != "" {
			if keyIdx = column(sf.Header(), r.s.masterKey); keyIdx < 0 {
				return apperr.New(apperr.Invalid, "%s has no master key column %q", path, r.s.masterKey)
			}
		}
		err = r.j.read(r.ctx, r.s, path, sf, v, keyIdx, r.rep, r.done, r.batches)
		n, _ := sf.Progress()
		r.j.bytesDone.Add(n)
		r.j.fileRead.Store(0)
		if err != nil {
			return err
		}
	}
	return nil
}

// newReport starts the stage's error report over the first file's header.
func (r *stageRun) newReport(header []string) *report {
	s := r.s
	rep := newReport(s.report, s.obj.APIName, header, r.j.req.OnFailedRow)
	rep.files = make(map[string]int, len(s.files))
	for i, p := range s.files {
		rep.files[p] = i
	}
	if s.failedLinks != nil {
		rep.linkCol, rep.links = column(header, s.masterColumn), map[string]bool{}
	}
	return rep
}

// startWorkers opens the loader of the stage's plan, reads the resume
// ledger and starts the workers. A batch in flight finishes when the stage
// stops.
func (r *stageRun) startWorkers(ctx context.Context, v *validate.Validator) error {
	var err error
	if r.loader, err = load.New(ctx, r.j.req.Target, r.j.plan(r.s, v)); err != nil {
		return err
	}
	if r.done, err = r.loader.Ledger(ctx); err != nil {
		return err
	}
	loadCtx := context.WithoutCancel(ctx)
	for range r.j.req.Workers {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for b := range r.batches {
				if r.ctx.Err() != nil {
					continue
				}
				res, err := r.j.loadBatch(loadCtx, r.s, r.loader, b)
				if err != nil {
					r.fail(err)
					continue
				}
				r.j.batchDone(r.s, r.rep, &b, res)
			}
		}()
	}
	return nil
}

// finish waits for the workers, closes the files (counting their blank
// rows) and the loader; it returns the loader's error.
func (r *stageRun) finish(ctx context.Context) error {
	close(r.batches)
	r.wg.Wait()
	for _, sf := range r.open {
		r.j.blank.Add(int64(sf.Blank()))
		sf.Close()
	}
	if r.loader == nil {
		return nil
	}
	return r.loader.Close(context.WithoutCancel(ctx))
}

// keepFailedLinks notes, for a detail stage, the written masters of its
// failing rows (what a restart of them links to).
func (r *stageRun) keepFailedLinks() {
	s := r.s
	if r.rep == nil || s.failedLinks == nil || s.linkKeys == nil {
		return
	}
	for k := range r.rep.links {
		if id, _, ok := s.linkKeys.Get(k); ok && id != "" && id != placeholderID {
			if *s.failedLinks == nil {
				*s.failedLinks = map[string]string{}
			}
			(*s.failedLinks)[k] = id
		}
	}
}

// outcome is the stage's error: the first failure of a worker, then the
// job's cancellation, then reading's error, then the report's.
func (r *stageRun) outcome(ctx context.Context, readErr, reportErr error) error {
	switch {
	case r.firstErr != nil:
		return r.firstErr
	case ctx.Err() != nil:
		return ctx.Err()
	case readErr != nil:
		return readErr
	case reportErr != nil:
		return apperr.Wrap(reportErr, apperr.Internal, "cannot write the error report %s: %v", r.s.report, reportErr)
	}
	return nil
}
