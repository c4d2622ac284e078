package load

import (
	"context"
	"encoding/binary"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/ingest/validate"
)

// This file writes insert batches as COPY … FROM STDIN (FORMAT binary)
// rows encoded here into one reused buffer, for the handful of value types
// the validator produces, by the table's actual column types: no encode
// plan looked up per value as pgx.CopyFrom does. A column of another type,
// or a value this encoder does not take, sends the batch through
// pgx.CopyFrom as before.

// colEnc is how one column's values are encoded (0: not supported here).
type colEnc uint8

const (
	encNone colEnc = iota
	encText
	encInt8
	encInt4
	encInt2
	encNumeric
	encDate
	encTimestamptz
	encBool
	encUUID
	encTextArray
)

// encFor maps a column type OID to its encoder.
func encFor(oid uint32) colEnc {
	switch oid {
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID:
		return encText
	case pgtype.Int8OID:
		return encInt8
	case pgtype.Int4OID:
		return encInt4
	case pgtype.Int2OID:
		return encInt2
	case pgtype.NumericOID:
		return encNumeric
	case pgtype.DateOID:
		return encDate
	case pgtype.TimestamptzOID:
		return encTimestamptz
	case pgtype.BoolOID:
		return encBool
	case pgtype.UUIDOID:
		return encUUID
	case pgtype.TextArrayOID:
		return encTextArray
	}
	return encNone
}

// copyPlan is the binary COPY of one table's insert columns.
type copyPlan struct {
	sql  string
	encs []colEnc
}

// binaryCopy returns the plan for l's insert columns, or nil when some
// column's type is not one encodeRow handles (looked up once).
func (b *pgBackend) binaryCopy(ctx context.Context, l *Loader) *copyPlan {
	b.copyOnce.Do(func() {
		b.copy = lookupCopyPlan(ctx, b, l)
	})
	return b.copy
}

func lookupCopyPlan(ctx context.Context, b *pgBackend, l *Loader) *copyPlan {
	// The catalog is read through the pool, never the rehearsal
	// transaction: a failed query must not abort it.
	rows, err := b.pool.Query(ctx, "SELECT attname::text, atttypid::int8 FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
		table(l.obj).Sanitize())
	if err != nil {
		return nil
	}
	types := map[string]uint32{}
	for rows.Next() {
		var name string
		var oid int64
		if rows.Scan(&name, &oid) != nil {
			rows.Close()
			return nil
		}
		types[name] = uint32(oid)
	}
	rows.Close()
	if rows.Err() != nil {
		return nil
	}
	p := &copyPlan{encs: make([]colEnc, len(l.cols.insert))}
	for i, c := range l.cols.insert {
		oid, ok := types[c]
		if !ok {
			return nil
		}
		if p.encs[i] = encFor(oid); p.encs[i] == encNone {
			return nil
		}
	}
	p.sql = "COPY " + table(l.obj).Sanitize() + " (" + quoteIdents(l.cols.insert) + ") FROM STDIN (FORMAT binary)"
	return p
}

func quoteIdents(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}

// copyHeader starts a binary COPY stream: signature, flags, no extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// copyBufs are the per-batch buffers, reused.
var copyBufs = sync.Pool{New: func() any { return new(copyBuf) }}

type copyBuf struct {
	data []byte
	vals []any
}

// encodeRow appends one row (vals lines up with encs). ok is false for a
// value of a type the column's encoder does not take; buf is then garbage.
func encodeRow(buf []byte, encs []colEnc, vals []any) ([]byte, bool) {
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(vals)))
	for i, v := range vals {
		var ok bool
		if buf, ok = appendValue(buf, encs[i], v); !ok {
			return buf, false
		}
	}
	return buf, true
}

// appendValue appends one field: its length (-1 for NULL) then its bytes.
func appendValue(buf []byte, e colEnc, v any) ([]byte, bool) {
	if v == nil {
		return binary.BigEndian.AppendUint32(buf, math.MaxUint32), true
	}
	switch e {
	case encText:
		s, ok := v.(string)
		if !ok {
			return buf, false
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
		return append(buf, s...), true
	case encInt8, encInt4, encInt2:
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case int32:
			n = int64(x)
		case int:
			n = int64(x)
		default:
			return buf, false
		}
		switch e {
		case encInt8:
			buf = binary.BigEndian.AppendUint32(buf, 8)
			return binary.BigEndian.AppendUint64(buf, uint64(n)), true
		case encInt4:
			if n < math.MinInt32 || n > math.MaxInt32 {
				return buf, false // pgx's error, through the fallback
			}
			buf = binary.BigEndian.AppendUint32(buf, 4)
			return binary.BigEndian.AppendUint32(buf, uint32(int32(n))), true
		default:
			if n < math.MinInt16 || n > math.MaxInt16 {
				return buf, false
			}
			buf = binary.BigEndian.AppendUint32(buf, 2)
			return binary.BigEndian.AppendUint16(buf, uint16(int16(n))), true
		}
	case encNumeric:
		d, ok := v.(validate.Decimal)
		if !ok {
			return buf, false
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		if buf, ok = d.AppendNumericBinary(buf); !ok {
			n, _ := d.NumericValue() // beyond the fast path: pgx's encoder
			var err error
			buf, err = pgtype.NumericCodec{}.PlanEncode(nil, pgtype.NumericOID, pgtype.BinaryFormatCode, n).Encode(n, buf)
			if err != nil {
				return buf, false
			}
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
		return buf, true
	case encDate:
		d, ok := v.(pgtype.Date)
		if !ok {
			return buf, false
		}
		if !d.Valid {
			return binary.BigEndian.AppendUint32(buf, math.MaxUint32), true
		}
		var days int32
		switch d.InfinityModifier {
		case pgtype.Infinity:
			days = math.MaxInt32
		case pgtype.NegativeInfinity:
			days = math.MinInt32
		default:
			y, m, dd := d.Time.Date()
			days = int32((time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() - y2k) / 86400)
		}
		buf = binary.BigEndian.AppendUint32(buf, 4)
		return binary.BigEndian.AppendUint32(buf, uint32(days)), true
	case encTimestamptz:
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case pgtype.Timestamptz:
			if !x.Valid {
				return binary.BigEndian.AppendUint32(buf, math.MaxUint32), true
			}
			if x.InfinityModifier != pgtype.Finite {
				us := int64(math.MaxInt64)
				if x.InfinityModifier == pgtype.NegativeInfinity {
					us = math.MinInt64
				}
				buf = binary.BigEndian.AppendUint32(buf, 8)
				return binary.BigEndian.AppendUint64(buf, uint64(us)), true
			}
			t = x.Time
		default:
			return buf, false
		}
		us := t.Unix()*1_000_000 + int64(t.Nanosecond())/1000 - y2k*1_000_000
		buf = binary.BigEndian.AppendUint32(buf, 8)
		return binary.BigEndian.AppendUint64(buf, uint64(us)), true
	case encBool:
		x, ok := v.(bool)
		if !ok {
			return buf, false
		}
		buf = binary.BigEndian.AppendUint32(buf, 1)
		if x {
			return append(buf, 1), true
		}
		return append(buf, 0), true
	case encUUID:
		var u [16]byte
		switch x := v.(type) {
		case pgtype.UUID:
			if !x.Valid {
				return binary.BigEndian.AppendUint32(buf, math.MaxUint32), true
			}
			u = x.Bytes
		case [16]byte:
			u = x
		case uuid.UUID:
			u = x
		default:
			return buf, false
		}
		buf = binary.BigEndian.AppendUint32(buf, 16)
		return append(buf, u[:]...), true
	case encTextArray:
		x, ok := v.([]string)
		if !ok {
			return buf, false
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		if len(x) == 0 { // no dimensions, no null, element type
			buf = binary.BigEndian.AppendUint32(buf, 0)
			buf = binary.BigEndian.AppendUint32(buf, 0)
			buf = binary.BigEndian.AppendUint32(buf, pgtype.TextOID)
		} else {
			buf = binary.BigEndian.AppendUint32(buf, 1)
			buf = binary.BigEndian.AppendUint32(buf, 0)
			buf = binary.BigEndian.AppendUint32(buf, pgtype.TextOID)
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(x)))
			buf = binary.BigEndian.AppendUint32(buf, 1)
			for _, s := range x {
				buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
				buf = append(buf, s...)
			}
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
		return buf, true
	}
	return buf, false
}

// y2k is PostgreSQL's epoch, 2000-01-01 UTC, in Unix seconds.
const y2k = 946684800

// copyReader streams an encoded batch and calls the mid-COPY failpoint
// before it hands out the bytes from mid on (mid < 0: never).
type copyReader struct {
	data []byte
	pos  int
	mid  int
	seq  int
}

func (r *copyReader) Read(p []byte) (int, error) {
	if r.pos >= len(r.data) {
		return 0, io.EOF
	}
	end := len(r.data)
	if r.mid >= 0 {
		if r.pos >= r.mid {
			failpoint(FailMidCopy, r.seq)
			r.mid = -1
		} else {
			end = r.mid
		}
	}
	n := copy(p, r.data[r.pos:end])
	r.pos += n
	return n, nil
}

// copyBinary writes ins by binary COPY; ok is false (nothing sent) when a
// value needs pgx's encoders.
func (b *pgBackend) copyBinary(ctx context.Context, tx pgx.Tx, l *Loader, p *copyPlan, w *work, ins []*prow, half int) (ok bool, err error) {
	cb := copyBufs.Get().(*copyBuf)
	defer func() {
		// After an error pgconn may return before its goroutine stops
		// reading the buffer: it is then not reused.
		if err == nil {
			copyBufs.Put(cb)
		}
	}()
	if cap(cb.vals) < len(p.encs) {
		cb.vals = make([]any, len(p.encs))
	}
	vals := cb.vals[:len(p.encs)]
	buf := append(cb.data[:0], copyHeader...)
	mid := -1
	for i, r := range ins {
		if i == half {
			mid = len(buf)
		}
		l.insertValues(r, w.now, true, vals)
		if buf, ok = encodeRow(buf, p.encs, vals); !ok {
			cb.data = buf[:0]
			clear(vals)
			return false, nil
		}
	}
	clear(vals)
	buf = binary.BigEndian.AppendUint16(buf, math.MaxUint16) // trailer: -1
	cb.data = buf
	_, err = tx.Conn().PgConn().CopyFrom(ctx, &copyReader{data: buf, mid: mid, seq: w.seq}, p.sql)
	return true, err
}
