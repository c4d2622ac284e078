package pipeline

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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

func statSize(p string) (int64, error) {
	st, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func quickStamp(p string) (load.FileStamp, error) {
	st, err := os.Stat(p)
	if err != nil {
		return load.FileStamp{}, err
	}
	return load.FileStamp{Path: p, Size: st.Size(), ModTime: st.ModTime().UTC().Truncate(time.Microsecond)}, nil
}

func (j *job) openFile(path string) (*source.File, error) {
	enc, d := j.req.Encoding, j.req.Delimiter
	if f, ok := j.req.Formats[path]; ok {
		enc, d = f.Encoding, f.Delimiter
	}
	var delim rune
	if d != "" {
		if d == `\t` || strings.EqualFold(d, "tab") {
			d = "\t"
		}
		delim, _ = utf8.DecodeRuneInString(d)
	}
	return source.Open(path, source.Options{MaxBytes: j.req.MaxFileBytes, Encoding: enc, Delimiter: delim, Limits: j.req.Limits})
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
	req := j.req
	s.headers = make(map[string]string, len(s.mapping.Columns))
	for h, c := range s.mapping.Columns {
		s.headers[strings.ToLower(c.Field)] = h
	}
	var rep *report
	var loader *load.Loader
	var done map[int]load.LedgerEntry
	jobCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan batch, req.Workers)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel(err) })
	}
	startWorkers := func(v *validate.Validator) error {
		var err error
		if loader, err = load.New(ctx, req.Target, j.plan(&s, v)); err != nil {
			return err
		}
		if done, err = loader.Ledger(ctx); err != nil {
			return err
		}
		loadCtx := context.WithoutCancel(ctx) // a batch in flight finishes
		for range req.Workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range batches {
					if jobCtx.Err() != nil {
						continue
					}
					r, err := j.loadBatch(loadCtx, &s, loader, b)
					if err != nil {
						fail(err)
						continue
					}
					j.batchDone(&s, rep, &b, r)
				}
			}()
		}
		return nil
	}

	var readErr error
	var v *validate.Validator
	var header []string
	var open []*source.File
	for fi, path := range s.files {
		sf, err := j.openFile(path)
		if err != nil {
			readErr = err
			break
		}
		open = append(open, sf)
		if fi == 0 {
			rep = newReport(s.report, s.obj.APIName, sf.Header(), req.OnFailedRow)
			rep.files = make(map[string]int, len(s.files))
			for i, p := range s.files {
				rep.files[p] = i
			}
			if s.failedLinks != nil {
				rep.linkCol, rep.links = column(sf.Header(), s.masterColumn), map[string]bool{}
			}
		}
		if v == nil || !slices.Equal(header, sf.Header()) {
			if v, err = j.validator(&s, sf.Header(), path); err == nil && loader == nil {
				err = startWorkers(v)
			}
			header = sf.Header()
		}
		if err != nil {
			readErr = err
			break
		}
		keyIdx := -1
		if s.masterKey != "" {
			if keyIdx = column(sf.Header(), s.masterKey); keyIdx < 0 {
				readErr = apperr.New(apperr.Invalid, "%s has no master key column %q", path, s.masterKey)
				break
			}
		}
		err = j.read(jobCtx, &s, path, sf, v, keyIdx, rep, done, batches)
		r, _ := sf.Progress()
		j.bytesDone.Add(r)
		j.fileRead.Store(0)
		if err != nil {
			readErr = err
			break
		}
	}
	close(batches)
	wg.Wait()
	for _, sf := range open {
		j.blank.Add(int64(sf.Blank()))
		sf.Close()
	}
	if loader != nil {
		if err := loader.Close(context.WithoutCancel(ctx)); err != nil && readErr == nil && firstErr == nil {
			readErr = err
		}
	}
	p, rerr := rep.close()
	if rep != nil && s.failedLinks != nil && s.linkKeys != nil {
		for k := range rep.links {
			if id, _, ok := s.linkKeys.Get(k); ok && id != "" && id != placeholderID {
				if *s.failedLinks == nil {
					*s.failedLinks = map[string]string{}
				}
				(*s.failedLinks)[k] = id
			}
		}
	}
	path := ReportFile{Object: s.obj.APIName, Path: p, Rows: rep.count()}
	switch {
	case firstErr != nil:
		return path, firstErr
	case ctx.Err() != nil:
		return path, ctx.Err()
	case readErr != nil:
		return path, readErr
	case rerr != nil:
		return path, apperr.Wrap(rerr, apperr.Internal, "cannot write the error report %s: %v", s.report, rerr)
	}
	return path, nil
}

// placeholderID stands for a master that validate-only found good: its
// details link to it without a lookup in the CRM.
const placeholderID = "00000000-0000-0000-0000-000000000000"

// loadBatch writes one batch, or (validate-only) checks its lookups and
// keys against the CRM without writing.
func (j *job) loadBatch(ctx context.Context, s *stageSpec, l *load.Loader, b batch) (load.BatchResult, error) {
	if !j.req.ValidateOnly {
		return l.Load(ctx, b.Batch)
	}
	errs, err := l.Check(ctx, b.Batch)
	if err != nil {
		return load.BatchResult{}, err
	}
	bad := make(map[int64]string, len(errs))
	for _, e := range errs {
		if bad[e.Line] == "" {
			bad[e.Line] = e.Message
		}
	}
	if s.keys != nil {
		for _, r := range b.Rows {
			if r.Key == "" {
				continue
			}
			if msg, ok := bad[r.Line]; ok {
				s.keys.Fail(r.Key, msg)
			} else {
				s.keys.Set(r.Key, placeholderID)
			}
		}
	}
	return load.BatchResult{Seq: b.Seq, Written: int64(len(b.Rows) - len(bad)), Errors: errs}, nil
}

func column(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

// progressEvery is how many records the reader reads between two updates
// of the bytes-read counter.
const progressEvery = 512

// read streams one file: each record is validated; good ones are batched.
func (j *job) read(ctx context.Context, s *stageSpec, path string, sf *source.File, v *validate.Validator, keyIdx int,
	rep *report, done map[int]load.LedgerEntry, out chan<- batch) error {
	size := j.req.BatchSize
	newBatch := func() batch {
		return batch{Batch: load.Batch{Rows: make([]load.Row, 0, size)}, path: path, file: sf, offsets: make([]int64, 0, size)}
	}
	cur := newBatch()
	flush := func() error {
		if len(cur.Rows) == 0 {
			return nil
		}
		j.seq++
		cur.Seq = j.seq
		b := cur
		cur = newBatch()
		if e, ok := done[b.Seq]; ok {
			if e.FirstLine != b.Rows[0].Line || e.LastLine != b.Rows[len(b.Rows)-1].Line {
				return apperr.Wrap(load.ErrLedgerMismatch, apperr.Conflict,
					"cannot resume: batch %d held file lines %d–%d, now %d–%d (the file or the mapping changed)",
					b.Seq, e.FirstLine, e.LastLine, b.Rows[0].Line, b.Rows[len(b.Rows)-1].Line)
			}
			j.batchDone(s, rep, &b, load.BatchResult{Seq: b.Seq, Written: e.Written, Added: e.Added, Updated: e.Written - e.Added, Errors: e.Errors, Skipped: true})
			return nil
		}
		select {
		case out <- b:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	n := 0
	err := v.Stream(ctx, sf, 0, func(row validate.Row, rec source.Record) error {
		if n++; n%progressEvery == 0 {
			j.fileRead.Store(rec.Offset) // Stream reads on its own goroutine: no sf.Progress here
		}
		j.rows.Add(1)
		key := ""
		if keyIdx >= 0 && keyIdx < len(rec.Fields) {
			key = strings.TrimSpace(rec.Fields[keyIdx])
		}
		if !row.OK() {
			j.rowFailed(s, rep, path, rec.Fields, int64(rec.Line), key, row.Problems)
			return nil
		}
		cur.Rows = append(cur.Rows, load.Row{Line: int64(rec.Line), Values: row.Values, Key: key})
		cur.offsets = append(cur.offsets, rec.Offset)
		if len(cur.Rows) >= size {
			return flush()
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return err
	}
	return flush()
}

// rowFailed reports a row that failed validation.
func (j *job) rowFailed(s *stageSpec, rep *report, path string, raw []string, line int64, key string, probs []validate.Problem) {
	j.failed.Add(1)
	msgs := make([]string, len(probs))
	cols := make([]string, len(probs))
	codes := make([]string, len(probs))
	var hooked []RowProblem
	if rep != nil && rep.hook != nil {
		hooked = make([]RowProblem, len(probs))
	}
	for i, p := range probs {
		msgs[i], cols[i], codes[i] = where(p.Column, p.Field)+p.Message, nonEmpty(p.Field, p.Column), string(p.Code)
		if hooked != nil {
			hooked[i] = RowProblem{Column: p.Column, Field: p.Field, Code: string(p.Code), Message: p.Message, Value: p.Value}
		}
	}
	j.tally(cols, codes)
	rep.add(path, func() []string { return raw }, line, msgs, hooked)
	if s.keys != nil && key != "" {
		s.keys.Fail(key, strings.Join(msgs, "; "))
	}
}

// batchDone counts a loaded (or skipped) batch and reports its failed rows.
func (j *job) batchDone(s *stageSpec, rep *report, b *batch, r load.BatchResult) {
	j.ok.Add(r.Written)
	j.added.Add(r.Added)
	j.updated.Add(r.Updated)
	if len(r.Errors) == 0 {
		return
	}
	byLine := map[int64][]load.RowError{}
	var order []int64
	for _, e := range r.Errors {
		if _, seen := byLine[e.Line]; !seen {
			order = append(order, e.Line)
		}
		byLine[e.Line] = append(byLine[e.Line], e)
	}
	for _, line := range order {
		es := byLine[line]
		msgs := make([]string, len(es))
		cols := make([]string, len(es))
		codes := make([]string, len(es))
		probs := make([]RowProblem, len(es))
		for i, e := range es {
			header := s.headers[strings.ToLower(e.Column)]
			// (the load step's own text may start with the field already)
			msgs[i], cols[i], codes[i] = where(header, e.Column)+strings.TrimPrefix(e.Message, e.Column+": "), e.Column, e.Code
			probs[i] = RowProblem{Column: header, Field: e.Column, Code: e.Code, Message: e.Message}
		}
		j.failed.Add(1)
		j.tally(cols, codes)
		rep.add(b.path, func() []string { return b.rawOf(line) }, line, msgs, probs)
	}
}

// where names a problem's place in the error report's _error, the same
// for values and lookups: "Column (field): " — the file's column, and the
// field when it is named otherwise; "field: " when no column; "" for a
// row problem.
func where(column, field string) string {
	switch {
	case column == "" && field == "":
		return ""
	case column == "":
		return field + ": "
	case field == "" || strings.EqualFold(strings.TrimSpace(column), field):
		return column + ": "
	}
	return column + " (" + field + "): "
}

func nonEmpty(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
