package pipeline

import (
	"context"
	"slices"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/ingest/validate"
)

// The rows of a stage: each record read and validated (read), a failing
// one reported (rowFailed), the good ones batched, loaded or checked
// (loadBatch) and their server problems reported (batchDone).

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
	var hooked []validate.Problem
	if rep != nil && rep.hook != nil {
		hooked = slices.Clone(probs)
	}
	for i, p := range probs {
		msgs[i], cols[i], codes[i] = where(p.Header, p.Field)+p.Message, nonEmpty(p.Field, p.Header), string(p.Code)
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
		probs := make([]validate.Problem, len(es))
		for i, e := range es {
			// load.RowError's Column is the field's API name.
			field := e.Column
			header := s.headers[strings.ToLower(field)]
			// (the load step's own text may start with the field already)
			msgs[i], cols[i], codes[i] = where(header, field)+strings.TrimPrefix(e.Message, field+": "), field, e.Code
			probs[i] = validate.Problem{Line: line, Header: header, Field: field, Code: validate.Code(e.Code), Message: e.Message}
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
