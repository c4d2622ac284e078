package imports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"batchdesk/backend/ingest/pipeline"
)

// ProblemPage is one page of failing rows (those matching the filters),
// with the totals.
type ProblemPage struct {
	// Header is the files' header (set by Service.Problems).
	Header []string `json:"header"`
	// Total is the number of failing rows matching the filters.
	Total int                  `json:"total"`
	Rows  []pipeline.FailedRow `json:"rows"`
	// ByCode and ByColumn count the failing rows by problem code and by
	// column header (all rows, not only the matching ones).
	ByCode   map[string]int64 `json:"byCode"`
	ByColumn map[string]int64 `json:"byColumn"`
	// Done is false while the job is still producing problems (set by
	// Service.Problems).
	Done bool `json:"done"`
}

// ProblemLog keeps the failing rows of a job on disk (one JSON line each)
// with a small in-memory index — offsets and, per row, the codes and columns
// for filtering — so the preview grid can page through 100k problem rows
// without the rows ever being held in memory. Safe for one writer and many
// readers at once.
type ProblemLog struct {
	mu       sync.Mutex
	path     string
	w        *os.File
	bw       *bufio.Writer
	size     int64
	index    []rowIndex
	byCode   map[string]int64
	byColumn map[string]int64
	codes    intern
	columns  intern
	filtered map[[2]int32][]int32 // cached filtered positions, keyed by code and column id
}

type rowIndex struct {
	off            int64
	codes, columns []int32
}

// intern gives strings small ids (-1: unknown).
type intern struct {
	ids   map[string]int32
	names []string
}

func (in *intern) id(s string) int32 {
	if in.ids == nil {
		in.ids = map[string]int32{}
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := int32(len(in.names))
	in.ids[s] = id
	in.names = append(in.names, s)
	return id
}

func (in *intern) lookup(s string) int32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	return -1
}

// CreateProblemLog starts an empty log at path (replacing any old one).
func CreateProblemLog(path string) (*ProblemLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create problem log: %w", err)
	}
	return &ProblemLog{path: path, w: f, bw: bufio.NewWriterSize(f, 64<<10),
		byCode: map[string]int64{}, byColumn: map[string]int64{}}, nil
}

// OpenProblemLog indexes an existing log (a job finished in an earlier run
// of the app) for reading.
func OpenProblemLog(path string) (*ProblemLog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open problem log: %w", err)
	}
	defer f.Close()
	l := &ProblemLog{path: path, byCode: map[string]int64{}, byColumn: map[string]int64{}}
	r := bufio.NewReaderSize(f, 64<<10)
	var off int64
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			var row pipeline.FailedRow
			if json.Unmarshal(line, &row) == nil {
				l.indexRow(off, row)
			}
		}
		off += int64(len(line))
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read problem log: %w", err)
		}
	}
	l.size = off
	return l, nil
}

func (l *ProblemLog) indexRow(off int64, row pipeline.FailedRow) {
	ix := rowIndex{off: off}
	seenCode := map[string]bool{}
	seenCol := map[string]bool{}
	for _, p := range row.Problems {
		code := string(p.Code)
		if !seenCode[code] {
			seenCode[code] = true
			l.byCode[code]++
			ix.codes = append(ix.codes, l.codes.id(code))
		}
		if p.Header != "" && !seenCol[p.Header] {
			seenCol[p.Header] = true
			l.byColumn[p.Header]++
			ix.columns = append(ix.columns, l.columns.id(p.Header))
		}
	}
	l.index = append(l.index, ix)
	l.filtered = nil
}

// Add appends a failing row. Rows are readable by Page at once.
func (l *ProblemLog) Add(row pipeline.FailedRow) error {
	b, err := json.Marshal(row)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return fmt.Errorf("problem log %s is read-only", l.path)
	}
	if _, err := l.bw.Write(b); err != nil {
		return fmt.Errorf("write problem log: %w", err)
	}
	l.indexRow(l.size, row)
	l.size += int64(len(b))
	return nil
}

// Close flushes and closes the writer (reading still works).
func (l *ProblemLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return nil
	}
	err := l.bw.Flush()
	if cerr := l.w.Close(); err == nil {
		err = cerr
	}
	l.bw, l.w = nil, nil
	return err
}

// Len is the number of failing rows so far.
func (l *ProblemLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.index)
}

// Page returns rows [offset, offset+limit) of those matching code and
// column ("" = any), and the totals.
func (l *ProblemLog) Page(offset, limit int, code, column string) (ProblemPage, error) {
	l.mu.Lock()
	if l.bw != nil {
		if err := l.bw.Flush(); err != nil {
			l.mu.Unlock()
			return ProblemPage{}, err
		}
	}
	positions := l.matching(code, column)
	page := ProblemPage{Total: len(positions), Rows: []pipeline.FailedRow{},
		ByCode: copyCounts(l.byCode), ByColumn: copyCounts(l.byColumn)}
	if offset < 0 {
		offset = 0
	}
	end := min(offset+max(limit, 0), len(positions))
	var offs []int64
	for i := offset; i < end; i++ {
		offs = append(offs, l.index[positions[i]].off)
	}
	l.mu.Unlock()
	if len(offs) == 0 {
		return page, nil
	}
	f, err := os.Open(l.path)
	if err != nil {
		return page, fmt.Errorf("read problem log: %w", err)
	}
	defer f.Close()
	for _, off := range offs {
		r := bufio.NewReader(io.NewSectionReader(f, off, 1<<62))
		line, err := r.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return page, fmt.Errorf("read problem log: %w", err)
		}
		var row pipeline.FailedRow
		if err := json.Unmarshal(line, &row); err != nil {
			return page, fmt.Errorf("problem log %s is damaged at byte %d", l.path, off)
		}
		page.Rows = append(page.Rows, row)
	}
	return page, nil
}

// matching returns the index positions of rows matching the filters; the
// caller holds l.mu.
func (l *ProblemLog) matching(code, column string) []int32 {
	key := [2]int32{-2, -2}
	if code != "" {
		key[0] = l.codes.lookup(code)
	}
	if column != "" {
		key[1] = l.columns.lookup(column)
	}
	if cached, ok := l.filtered[key]; ok {
		return cached
	}
	var out []int32
	for i, ix := range l.index {
		if (key[0] == -2 || contains(ix.codes, key[0])) && (key[1] == -2 || contains(ix.columns, key[1])) {
			out = append(out, int32(i))
		}
	}
	if l.filtered == nil {
		l.filtered = map[[2]int32][]int32{}
	}
	l.filtered[key] = out
	return out
}

func contains(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func copyCounts(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
