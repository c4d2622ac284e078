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

// report writes the error report: the input's columns with the original
// values, then _row (the file line) and _error (the row's problems joined by
// "; "). It is created on the first failing row. Safe for concurrent use.
type report struct {
	mu     sync.Mutex
	path   string
	header []string
	keep   []int // input columns written (the input's own _row/_error dropped)
	f      *os.File
	bw     *bufio.Writer
	w      *csv.Writer
	err    error
}

func newReport(path string, header []string) *report {
	r := &report{path: path}
	for i, h := range header {
		if t := strings.TrimSpace(h); strings.EqualFold(t, ReportRow) || strings.EqualFold(t, ReportError) {
			continue
		}
		r.keep = append(r.keep, i)
		r.header = append(r.header, h)
	}
	return r
}

// add writes one failing row.
func (r *report) add(raw []string, line int64, problems []string) {
	r.addLazy(func() []string { return raw }, line, problems)
}

// addLazy writes one failing row whose values raw returns (called only
// when the report is written, under its lock).
func (r *report) addLazy(rawOf func() []string, line int64, problems []string) {
	if r == nil || r.path == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	raw := rawOf()
	if r.err != nil {
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
	rec = append(rec, strconv.FormatInt(line, 10), strings.Join(problems, "; "))
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
