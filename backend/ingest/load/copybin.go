package load

import (
	"encoding/binary"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/ingest/validate"
)

// This file encodes rows for COPY … FROM STDIN (FORMAT binary) into one
// reused buffer, for the value types the validator produces, by the
// table's actual column types: no encode plan looked up per value as
// pgx.CopyFrom does. A column of a type without a binary encoder here, or
// a value an encoder does not take, sends the batch in text format
// instead (copytext.go), which the server parses with each type's own
// input function.

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
	encTimestamp
	encFloat8
	encFloat4
	encOID
	encJSONB
	encBoolArray
)

// encFor maps a column type OID to its encoder.
func encFor(oid uint32) colEnc {
	switch oid {
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.JSONOID, pgtype.NameOID:
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
	case pgtype.TimestampOID:
		return encTimestamp
	case pgtype.BoolOID:
		return encBool
	case pgtype.UUIDOID:
		return encUUID
	case pgtype.TextArrayOID:
		return encTextArray
	case pgtype.Float8OID:
		return encFloat8
	case pgtype.Float4OID:
		return encFloat4
	case pgtype.OIDOID:
		return encOID
	case pgtype.JSONBOID:
		return encJSONB
	case pgtype.BoolArrayOID:
		return encBoolArray
	}
	return encNone
}

// colEncFor is encFor for a column: an enum's binary form is its label.
func colEncFor(c *pgColumn) colEnc {
	if c.typtype == 'e' {
		return encText
	}
	return encFor(c.oid)
}

func quoteIdents(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = crmdb.QuoteIdent(c)
	}
	return strings.Join(q, ", ")
}

// copyHeader starts a binary COPY stream: signature, flags, no extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

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
	case encTimestamp:
		// timestamp without time zone: the wall clock as read.
		t, ok := v.(time.Time)
		if !ok {
			return buf, false
		}
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		us := wall.Unix()*1_000_000 + int64(wall.Nanosecond())/1000 - y2k*1_000_000
		buf = binary.BigEndian.AppendUint32(buf, 8)
		return binary.BigEndian.AppendUint64(buf, uint64(us)), true
	case encFloat8, encFloat4:
		var f float64
		switch x := v.(type) {
		case validate.Decimal:
			var err error
			if f, err = strconv.ParseFloat(x.String(), 64); err != nil {
				return buf, false
			}
		case float64:
			f = x
		case int64:
			f = float64(x)
		default:
			return buf, false
		}
		if e == encFloat4 {
			if math.IsInf(float64(float32(f)), 0) && !math.IsInf(f, 0) {
				return buf, false // out of real's range: the server says so in text
			}
			buf = binary.BigEndian.AppendUint32(buf, 4)
			return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(f))), true
		}
		if math.IsInf(f, 0) {
			return buf, false
		}
		buf = binary.BigEndian.AppendUint32(buf, 8)
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(f)), true
	case encOID:
		n, ok := v.(int64)
		if !ok || n < 0 || n > math.MaxUint32 {
			return buf, false
		}
		buf = binary.BigEndian.AppendUint32(buf, 4)
		return binary.BigEndian.AppendUint32(buf, uint32(n)), true
	case encJSONB:
		s, ok := v.(string)
		if !ok {
			return buf, false
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)+1))
		buf = append(buf, 1) // jsonb's binary format version
		return append(buf, s...), true
	case encBoolArray:
		x, ok := v.([]bool)
		if !ok {
			return buf, false
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		if len(x) == 0 {
			buf = binary.BigEndian.AppendUint32(buf, 0)
			buf = binary.BigEndian.AppendUint32(buf, 0)
			buf = binary.BigEndian.AppendUint32(buf, pgtype.BoolOID)
		} else {
			buf = binary.BigEndian.AppendUint32(buf, 1)
			buf = binary.BigEndian.AppendUint32(buf, 0)
			buf = binary.BigEndian.AppendUint32(buf, pgtype.BoolOID)
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(x)))
			buf = binary.BigEndian.AppendUint32(buf, 1)
			for _, b := range x {
				buf = binary.BigEndian.AppendUint32(buf, 1)
				if b {
					buf = append(buf, 1)
				} else {
					buf = append(buf, 0)
				}
			}
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
		return buf, true
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

// copyReader streams parts of an encoded batch one after the other and
// calls the mid-COPY failpoint before it hands out byte mid (mid < 0:
// never).
type copyReader struct {
	parts [][]byte
	mid   int
	seq   int
	sent  int
}

func (r *copyReader) Read(p []byte) (int, error) {
	for len(r.parts) > 0 && len(r.parts[0]) == 0 {
		r.parts = r.parts[1:]
	}
	if len(r.parts) == 0 {
		return 0, io.EOF
	}
	part := r.parts[0]
	if r.mid >= 0 {
		if r.sent >= r.mid {
			failpoint(FailMidCopy, r.seq)
			r.mid = -1
		} else if r.sent+len(part) > r.mid {
			part = part[:r.mid-r.sent]
		}
	}
	n := copy(p, part)
	r.parts[0] = r.parts[0][n:]
	r.sent += n
	return n, nil
}
