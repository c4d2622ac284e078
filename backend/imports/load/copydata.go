package load

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// copyPlan is the COPY of some columns of one table (an insert's columns,
// or the staging table's of an update).
type copyPlan struct {
	table  string // sanitized
	names  []string
	cols   []*pgColumn // nil when the table's types are unknown
	encs   []colEnc
	binary bool // every column has a binary encoder
	// rowBytes is about one encoded row's size, to size the next buffer.
	rowBytes atomic.Int64
}

func newCopyPlan(table string, names []string, cols []*pgColumn) *copyPlan {
	p := &copyPlan{table: table, names: names, cols: cols}
	if cols == nil {
		p.cols = make([]*pgColumn, len(names))
		return p
	}
	p.encs = make([]colEnc, len(cols))
	p.binary = true
	for i, c := range cols {
		if p.encs[i] = colEncFor(c); p.encs[i] == encNone {
			p.binary = false
		}
	}
	return p
}

func (p *copyPlan) sql(binary bool) string {
	s := "COPY " + p.table + " (" + quoteIdents(p.names) + ") FROM STDIN"
	if binary {
		s += " (FORMAT binary)"
	}
	return s
}

// copyData is a batch's rows encoded for one COPY statement; subsets of
// them can be sent again without encoding them again.
type copyData struct {
	plan   *copyPlan
	binary bool
	buf    []byte
	offs   []int // row i is buf[offs[i]:offs[i+1]]
}

// rows is the number of rows encoded.
func (d *copyData) rows() int { return len(d.offs) - 1 }

// encode encodes n rows, whose values fill writes into vals (len(names)):
// in binary when every column and value allows it, else in text. A row
// with a value that has no text form either is reported to bad (row,
// column) and left out; kept lists the rows encoded, in order.
func (p *copyPlan) encode(n int, fill func(i int, vals []any), bad func(i, col int)) (*copyData, []int) {
	vals := make([]any, len(p.names))
	size := int(p.rowBytes.Load())*n + n
	if p.binary {
		d := &copyData{plan: p, binary: true, buf: make([]byte, 0, size), offs: make([]int, 1, n+1)}
		ok := true
		for i := 0; i < n && ok; i++ {
			clear(vals)
			fill(i, vals)
			if d.buf, ok = encodeRow(d.buf, p.encs, vals); ok {
				d.offs = append(d.offs, len(d.buf))
			}
		}
		if ok {
			kept := make([]int, n)
			for i := range kept {
				kept[i] = i
			}
			if n > 0 {
				p.rowBytes.Store(int64(len(d.buf) / n))
			}
			return d, kept
		}
	}
	d := &copyData{plan: p, buf: make([]byte, 0, size), offs: make([]int, 1, n+1)}
	var kept []int
	for i := 0; i < n; i++ {
		clear(vals)
		fill(i, vals)
		at := len(d.buf)
		buf, col, ok := appendTextRow(d.buf, p.cols, vals)
		if !ok {
			d.buf = buf[:at]
			bad(i, col)
			continue
		}
		d.buf = buf
		d.offs = append(d.offs, len(d.buf))
		kept = append(kept, i)
	}
	if len(kept) > 0 {
		p.rowBytes.Store(int64(len(d.buf) / len(kept)))
	}
	return d, kept
}

// copyTrailer ends a binary COPY stream: a field count of -1.
var copyTrailer = []byte{0xff, 0xff}

// reader streams the rows idx (indexes into d, ascending) as one COPY
// input; with mid, the mid-COPY failpoint of batch seq fires halfway.
func (d *copyData) reader(idx []int, mid bool, seq int) *copyReader {
	r := &copyReader{mid: -1, seq: seq}
	if d.binary {
		r.parts = append(r.parts, copyHeader)
	}
	n := len(idx)
	switch {
	case n == 0:
	case idx[n-1]-idx[0] == n-1: // contiguous: no copy
		r.parts = append(r.parts, d.buf[d.offs[idx[0]]:d.offs[idx[n-1]+1]])
	default:
		var buf []byte
		for _, i := range idx {
			buf = append(buf, d.buf[d.offs[i]:d.offs[i+1]]...)
		}
		r.parts = append(r.parts, buf)
	}
	if mid && n > 0 {
		r.mid = d.offs[idx[n/2]] - d.offs[idx[0]]
		if d.binary {
			r.mid += len(copyHeader)
		}
	}
	if d.binary {
		r.parts = append(r.parts, copyTrailer)
	}
	return r
}

// copyRows sends the rows idx of d by one COPY in tx.
func copyRows(ctx context.Context, tx pgx.Tx, d *copyData, idx []int, mid bool, seq int) error {
	_, err := tx.Conn().PgConn().CopyFrom(ctx, d.reader(idx, mid, seq), d.plan.sql(d.binary))
	return err
}

// copyLineRE finds the row a COPY error is about in its context:
// "COPY account, line 17" or "COPY account, line 17, column x: …".
var copyLineRE = regexp.MustCompile(`(?m)^COPY .*, line (\d+)`)

// copyLine returns the 0-based row of the COPY input an error of that
// COPY is about, or -1.
func copyLine(err error) int {
	pe := pgError(err)
	if pe == nil {
		return -1
	}
	m := copyLineRE.FindAllStringSubmatch(pe.Where, -1)
	if len(m) == 0 {
		return -1
	}
	n, perr := strconv.Atoi(m[len(m)-1][1])
	if perr != nil || n < 1 {
		return -1
	}
	return n - 1
}

func pgError(err error) *pgconn.PgError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// encodeProblem is the row problem of a value that cannot be sent to its
// column in any format.
func encodeProblem(line int64, field, column string, c *pgColumn, v any) RowError {
	typ := "its type"
	if c != nil && c.cast != "" {
		typ = c.cast
	}
	if v == nil {
		return RowError{Line: line, Code: CodeBadValue, Column: field,
			Message: fmt.Sprintf("a value of this row cannot be sent to column %s (%s)", column, typ)}
	}
	return RowError{Line: line, Code: CodeBadValue, Column: field,
		Message: fmt.Sprintf("the value %s cannot be sent to column %s (%s)", quoteValue(fmt.Sprint(v)), column, typ)}
}

// joinNames is names quoted and joined, for messages.
func joinNames(names []string) string { return strings.Join(names, ", ") }
