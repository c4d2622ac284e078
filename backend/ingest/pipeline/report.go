package pipeline

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"batchdesk/backend/ingest/validate"
)

// Columns the error report adds after the input's own.
const (
	ReportRow   = "_row"
	ReportError = "_error"
)

// report is where failing rows go: the error report — the input's columns
// with the original values, then _row (the file line, or the input's own
// _row when it has one: a report imported again keeps the customer's
// lines) and _error (the row's problems joined by "; "), created on the
// first failing row, in file order when closed — and the request's
// OnFailedRow hook. Safe for concurrent use; the hook is called under its
// lock.
type report struct {
	mu     sync.Mutex
	path   string
	object string
	hook   func(FailedRow)
	header []string       // the report's columns (the input's own _row/_error dropped)
	keep   []int          // input columns written
	index  map[string]int // input column by trimmed header, for problem values
	rowCol int            // the input's own _row column (-1 when none)
	files  map[string]int // the stage's files in reading order
	order  []rowKey       // where each written record is in the input
	sorted bool           // order is ascending so far
	rows   int64
	// linkCol is a detail's master column (-1 when none); links collects
	// its failing rows' master keys.
	linkCol int
	links   map[string]bool
	f       *os.File
	bw      *bufio.Writer
	w       *csv.Writer
	err     error
}

func newReport(path, object string, header []string, hook func(FailedRow)) *report {
	r := &report{path: path, object: object, hook: hook, index: make(map[string]int, len(header)), rowCol: -1, linkCol: -1, sorted: true}
	for i, h := range header {
		t := strings.TrimSpace(h)
		if _, dup := r.index[t]; !dup {
			r.index[t] = i
		}
		if strings.EqualFold(t, ReportRow) && r.rowCol < 0 {
			r.rowCol = i
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
func (r *report) add(file string, rawOf func() []string, line int64, msgs []string, probs []validate.Problem) {
	if r == nil || (r.path == "" && r.hook == nil) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	raw := rawOf()
	if r.links != nil && r.linkCol >= 0 && r.linkCol < len(raw) {
		r.links[raw[r.linkCol]] = true
	}
	if r.hook != nil {
		for i := range probs {
			p := &probs[i]
			p.File, p.Line = filepath.Base(file), line
			if p.Value == "" && p.Header != "" {
				if c, ok := r.index[strings.TrimSpace(p.Header)]; ok && c < len(raw) {
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
	rec = append(rec, strconv.FormatInt(r.customerLine(raw, line), 10), strings.Join(msgs, "; "))
	if err := r.w.Write(rec); err != nil && r.err == nil {
		r.err = err
	}
	k := rowKey{file: r.files[file], line: line}
	if n := len(r.order); n > 0 && k.less(r.order[n-1]) {
		r.sorted = false
	}
	r.order = append(r.order, k)
	r.rows++
}

// rowKey is a record's place in the stage's input.
type rowKey struct {
	file int
	line int64
}

func (k rowKey) less(o rowKey) bool {
	return k.file < o.file || (k.file == o.file && k.line < o.line)
}

// customerLine is the line to report for a row at line: the input's own
// _row when it holds a line number (an error report imported again).
func (r *report) customerLine(raw []string, line int64) int64 {
	if r.rowCol >= 0 && r.rowCol < len(raw) {
		if n, err := strconv.ParseInt(strings.TrimSpace(raw[r.rowCol]), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return line
}

// count is the rows written to the report.
func (r *report) count() int64 {
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rows
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
	if r.err == nil && !r.sorted {
		r.err = r.sortFile()
	}
	return r.path, r.err
}

// sortFile rewrites the report in file order: server rejections arrive
// after later rows' validation problems, and a report imported again must
// keep the first of two duplicate keys first.
func (r *report) sortFile() error {
	f, err := os.Open(r.path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if b, _ := br.Peek(3); string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return err
	}
	type rec struct {
		k   rowKey
		row []string
	}
	recs := make([]rec, 0, len(r.order))
	for i := 0; ; i++ {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if i < len(r.order) {
			recs = append(recs, rec{r.order[i], row})
		}
	}
	slices.SortStableFunc(recs, func(a, b rec) int {
		return cmp.Or(cmp.Compare(a.k.file, b.k.file), cmp.Compare(a.k.line, b.k.line))
	})
	tmp := r.path + ".sorting"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	bw.WriteString("\uFEFF")
	w := csv.NewWriter(bw)
	w.Write(head)
	for _, x := range recs {
		w.Write(x.row)
	}
	w.Flush()
	err = cmp.Or(w.Error(), bw.Flush())
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, r.path)
}
