package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/source"
)

// stageSpec is one object of the job: the master (or only) one, or a detail.
type stageSpec struct {
	obj     *catalog.Object
	mapping Mapping
	files   []string
	report  string
	stage   string // ledger stage ("" for the master)
	// masterKey is the master file's key column; keys collects its rows.
	masterKey string
	keys      *load.KeyMap
	// link is a detail's field to its master, filled from linkColumn,
	// resolved through linkKeys first.
	link       *catalog.Field
	linkColumn string
	linkKeys   *load.KeyMap
}

// batch is a load.Batch plus the raw records, for the error report.
type batch struct {
	load.Batch
	raws map[int64][]string
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

// layout is how the columns of a file feed the plan.
type layout struct {
	idx   []int // per plan column: index in the record (-1: link column)
	conv  []*converter
	key   int // master key column index (-1)
	link  int // detail link column index (-1)
	cols  []load.Column
	heads []string
}

func (j *job) layout(s *stageSpec, header []string, path string) (*layout, error) {
	find := func(h string) int {
		for i, x := range header {
			if strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(h)) {
				return i
			}
		}
		return -1
	}
	lay := &layout{key: -1, link: -1, heads: header}
	insert := s.mapping.Mode == "" || s.mapping.Mode == string(load.Insert)
	for _, cm := range s.mapping.Columns {
		if strings.EqualFold(cm.Header, ReportRow) || strings.EqualFold(cm.Header, ReportError) {
			continue
		}
		i := find(cm.Header)
		if i < 0 {
			return nil, apperr.New(apperr.Invalid, "%s has no column %q (mapped to %s)", path, cm.Header, cm.Field)
		}
		f, err := s.obj.Field(cm.Field)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "%s has no field %q (mapped from column %q)", s.obj.APIName, cm.Field, cm.Header)
		}
		if s.link != nil && f.APIName == s.link.APIName {
			continue // filled from the master column
		}
		lay.idx = append(lay.idx, i)
		lay.conv = append(lay.conv, newConverter(*f, cm, j.req.Zone, insert))
		lay.cols = append(lay.cols, load.Column{Field: *f, Resolve: cm.Lookup})
	}
	if s.masterKey != "" {
		if lay.key = find(s.masterKey); lay.key < 0 {
			return nil, apperr.New(apperr.Invalid, "%s has no master key column %q", path, s.masterKey)
		}
	}
	if s.link != nil {
		if lay.link = find(s.linkColumn); lay.link < 0 {
			return nil, apperr.New(apperr.Invalid, "%s has no master column %q", path, s.linkColumn)
		}
		lay.idx = append(lay.idx, lay.link)
		lay.conv = append(lay.conv, nil)
		lay.cols = append(lay.cols, load.Column{Field: *s.link, Resolve: load.ByAuto, MasterKeys: s.linkKeys})
	}
	return lay, nil
}

func (j *job) openFile(path string) (*source.File, error) {
	var delim rune
	if d := j.req.Delimiter; d != "" {
		if d == `\t` || strings.EqualFold(d, "tab") {
			d = "\t"
		}
		delim, _ = utf8.DecodeRuneInString(d)
	}
	return source.Open(path, source.Options{MaxBytes: j.req.MaxFileBytes, Encoding: j.req.Encoding, Delimiter: delim})
}

// stage reads, validates and loads one object's files; it returns the
// error report's path.
func (j *job) stage(ctx context.Context, s stageSpec) (string, error) {
	req := j.req
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
	startWorkers := func(lay *layout) error {
		if req.ValidateOnly {
			return nil
		}
		plan := load.Plan{Object: s.obj, Columns: lay.cols, Mode: load.Mode(s.mapping.Mode), Key: s.mapping.Key,
			JobID: req.JobID, Stage: s.stage, Rehearse: req.Rehearse, RecordKeys: s.keys}
		var err error
		if loader, err = load.New(ctx, req.Target, plan); err != nil {
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
					r, err := loader.Load(loadCtx, b.Batch)
					if err != nil {
						fail(err)
						continue
					}
					j.batchDone(s, rep, b, r)
				}
			}()
		}
		return nil
	}

	var readErr error
	started := false
	for fi, path := range s.files {
		sf, err := j.openFile(path)
		if err != nil {
			readErr = err
			break
		}
		if fi == 0 {
			rep = newReport(s.report, sf.Header())
		}
		lay, err := j.layout(&s, sf.Header(), path)
		if err == nil && !started {
			err = startWorkers(lay)
			started = true
		}
		if err != nil {
			sf.Close()
			readErr = err
			break
		}
		j.cur.Store(sf)
		err = j.read(jobCtx, &s, sf, lay, rep, done, batches)
		r, _ := sf.Progress()
		j.bytesDone.Add(r)
		j.cur.Store(nil)
		sf.Close()
		if err != nil {
			readErr = err
			break
		}
	}
	close(batches)
	wg.Wait()
	if loader != nil {
		if err := loader.Close(context.WithoutCancel(ctx)); err != nil && readErr == nil && firstErr == nil {
			readErr = err
		}
	}
	path, rerr := rep.close()
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

// read streams one file: each record is validated; good ones are batched.
func (j *job) read(ctx context.Context, s *stageSpec, sf *source.File, lay *layout, rep *report,
	done map[int]load.LedgerEntry, out chan<- batch) error {
	size := j.req.BatchSize
	cur := batch{raws: map[int64][]string{}}
	flush := func() error {
		if len(cur.Rows) == 0 {
			return nil
		}
		j.seq++
		cur.Seq = j.seq
		b := cur
		cur = batch{raws: map[int64][]string{}}
		if e, ok := done[b.Seq]; ok {
			if e.FirstLine != b.Rows[0].Line || e.LastLine != b.Rows[len(b.Rows)-1].Line {
				return apperr.Wrap(load.ErrLedgerMismatch, apperr.Conflict,
					"cannot resume: batch %d held file lines %d–%d, now %d–%d (the file or the mapping changed)",
					b.Seq, e.FirstLine, e.LastLine, b.Rows[0].Line, b.Rows[len(b.Rows)-1].Line)
			}
			j.batchDone(*s, rep, b, load.BatchResult{Seq: b.Seq, Written: e.Written, Errors: e.Errors, Skipped: true})
			return nil
		}
		if j.req.ValidateOnly {
			j.ok.Add(int64(len(b.Rows)))
			return nil
		}
		select {
		case out <- b:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return context.Cause(ctx)
		}
		rec, err := sf.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		j.rows.Add(1)
		line := int64(rec.Line)
		key := ""
		if lay.key >= 0 && lay.key < len(rec.Fields) {
			key = strings.TrimSpace(rec.Fields[lay.key])
		}
		if rec.Problem != nil {
			j.rowFailed(s, rep, rec.Fields, line, key, []problem{{code: CodeRecord, msg: rec.Problem.Message}})
			continue
		}
		vals := make([]any, len(lay.idx))
		var probs []problem
		for c, i := range lay.idx {
			cell := rec.Fields[i]
			conv := lay.conv[c]
			if conv == nil { // a detail's master column
				if t := strings.TrimSpace(cell); t != "" {
					vals[c] = t
				} else {
					probs = append(probs, problem{column: s.link.APIName, code: CodeRequired, msg: fmt.Sprintf("%s: the master column %q is empty", s.link.APIName, s.linkColumn)})
				}
				continue
			}
			v, p := conv.convert(cell)
			if p != nil {
				probs = append(probs, *p)
				continue
			}
			vals[c] = v
		}
		if len(probs) > 0 {
			j.rowFailed(s, rep, rec.Fields, line, key, probs)
			continue
		}
		cur.Rows = append(cur.Rows, load.Row{Line: line, Values: vals, Key: key})
		cur.raws[line] = append([]string(nil), rec.Fields...)
		if len(cur.Rows) >= size {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// rowFailed reports a row that failed before loading.
func (j *job) rowFailed(s *stageSpec, rep *report, raw []string, line int64, key string, probs []problem) {
	j.failed.Add(1)
	msgs := make([]string, len(probs))
	cols := make([]string, len(probs))
	codes := make([]string, len(probs))
	for i, p := range probs {
		msgs[i], cols[i], codes[i] = p.msg, p.column, p.code
	}
	j.tally(cols, codes)
	rep.add(raw, line, msgs)
	if s.keys != nil && key != "" {
		s.keys.Fail(key, strings.Join(msgs, "; "))
	}
}

// batchDone counts a loaded (or skipped) batch and reports its failed rows.
func (j *job) batchDone(s stageSpec, rep *report, b batch, r load.BatchResult) {
	j.ok.Add(r.Written)
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
		for i, e := range es {
			msgs[i], cols[i], codes[i] = e.Message, e.Column, e.Code
		}
		j.failed.Add(1)
		j.tally(cols, codes)
		rep.add(b.raws[line], line, msgs)
	}
}
