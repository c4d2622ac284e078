package pipeline

import (
	"bufio"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Columns the error report adds after the input's own.
const (
	ReportRow   = "_row"
	ReportError = "_error"
)

// report is where failing rows go: the error report — the input's columns
// with the original values, then _row (the file line) and _error (the
// row's problems joined by "; "), created on the first failing row — and
// the request's OnFailedRow hook. Safe for concurrent use; the hook is
// called under its lock.
type report struct {
	mu     sync.Mutex
	path   string
	object string
	hook   func(FailedRow)
	header []string       // the report's columns (the input's own _row/_error dropped)
	keep   []int          // input columns written
	index  map[string]int // input column by trimmed header, for problem values
	f      *os.File
	bw     *bufio.Writer
	w      *csv.Writer
	err    error
}

func newReport(path, object string, header []string, hook func(FailedRow)) *report {
	r := &report{path: path, object: object, hook: hook, index: make(map[string]int, len(header))}
	for i, h := range header {
		t := strings.TrimSpace(h)
		if _, dup := r.index[t]; !dup {
			r.index[t] = i
		}
		if strings.EqualFold(t, ReportRow) || strings.EqualFold(t, ReportError) {
			continue
		}
		r.keep = append(r.keep, i)
		r.header = append(r.header, h)
	}
	return r
}

// add reports one failing row of file whose values rawOf returns (called
// only when needed, under the report's lock): msgs are the report's texts,
// probs the hook's problems.
func (r *report) add(file string, rawOf func() []string, line int64, msgs []string, probs []RowProblem) {
	if r == nil || (r.path == "" && r.hook == nil) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	raw := rawOf()
	if r.hook != nil {
		for i := range probs {
			if p := &probs[i]; p.Value == "" && p.Column != "" {
				if c, ok := r.index[strings.TrimSpace(p.Column)]; ok && c < len(raw) {
					p.Value = raw[c]
				}
			}
		}
		r.hook(FailedRow{File: file, Object: r.object, Line: line, Cells: raw, Problems: probs})
	}
	if r.path == "" || r.err != nil {
		return
	}
	if r.f == nil {
		if r.f, r.err = os.Create(r.path); r.err != nil {
			return
		}
		r.bw = bufio.NewWriterSize(r.f, 64<<10)
		r.bw.WriteString("\uFEFF")
		r.w = csv.NewWriter(r.bw)
		r.err = r.w.Write(append(append([]string(nil), r.header...), ReportRow, ReportError))
	}
	rec := make([]string, 0, len(r.keep)+2)
	for _, i := range r.keep {
		v := ""
		if i < len(raw) {
			v = raw[i]
		}
		rec = append(rec, v)
	}
	rec = append(rec, strconv.FormatInt(line, 10), strings.Join(msgs, "; "))
	if err := r.w.Write(rec); err != nil && r.err == nil {
		r.err = err
	}
}

// close flushes the report; it returns the path ("" when nothing was
// written).
func (r *report) close() (string, error) {
	if r == nil || r.f == nil {
		return "", nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.w.Flush()
	if err := r.w.Error(); err != nil && r.err == nil {
		r.err = err
	}
	if err := r.bw.Flush(); err != nil && r.err == nil {
		r.err = err
	}
	if err := r.f.Close(); err != nil && r.err == nil {
		r.err = err
	}
	return r.path, r.err
}
