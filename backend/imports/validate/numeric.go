package validate

import (
	"encoding/binary"

	"github.com/jackc/pgx/v5/pgtype"
)

// NumericCodec is pgx's numeric codec, except that it writes a Decimal in
// PostgreSQL's binary format straight from its int64, with no math/big
// (the loader's hottest conversion otherwise). Register it on a
// connection's type map to use it:
//
//	conn.TypeMap().RegisterType(&pgtype.Type{Name: "numeric",
//		OID: pgtype.NumericOID, Codec: validate.NumericCodec{}})
//
// Other values, and Decimals beyond the fast path (more than 15 decimals or
// a Big value), go through pgx's own encoder.
type NumericCodec struct{ pgtype.NumericCodec }

// PlanEncode returns the fast plan for a Decimal in binary format.
func (c NumericCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(Decimal); ok && format == pgtype.BinaryFormatCode {
		return decimalPlan{}
	}
	return c.NumericCodec.PlanEncode(m, oid, format, value)
}

type decimalPlan struct{}

// Encode appends d in binary numeric format.
func (decimalPlan) Encode(value any, buf []byte) ([]byte, error) {
	d := value.(Decimal)
	if out, ok := d.AppendNumericBinary(buf); ok {
		return out, nil
	}
	n, _ := d.NumericValue()
	return pgtype.NumericCodec{}.PlanEncode(nil, pgtype.NumericOID, pgtype.BinaryFormatCode, n).Encode(n, buf)
}

// AppendNumericBinary appends d as PostgreSQL's binary numeric: ndigits,
// weight, sign, dscale, then base-10000 digits. ok is false (buf
// unchanged) outside the fast path (Big set, scale outside 0..15).
func (d Decimal) AppendNumericBinary(buf []byte) ([]byte, bool) {
	if d.Big != nil || d.Scale < 0 || d.Scale > 15 {
		return buf, false
	}
	s := int(d.Scale)
	var u uint64
	var sign uint16
	if d.Int < 0 {
		u, sign = uint64(-(d.Int+1))+1, 0x4000
	} else {
		u = uint64(d.Int)
	}
	intPart, frac := u/pow10[s], u%pow10[s]
	pad := (4 - s%4) % 4
	fa := frac * pow10[pad] // < 10^18
	fg := (s + pad) / 4

	var groups [12]uint16 // ≤ 5 integer groups (10^19) + ≤ 4 fraction groups
	var ig [5]uint16
	ni := 0
	for intPart > 0 {
		ig[ni] = uint16(intPart % 10000)
		intPart /= 10000
		ni++
	}
	n := 0
	for i := ni - 1; i >= 0; i-- {
		groups[n] = ig[i]
		n++
	}
	for j := fg - 1; j >= 0; j-- {
		groups[n] = uint16(fa / pow10[4*j] % 10000)
		n++
	}
	weight := ni - 1
	digits := groups[:n]
	for len(digits) > 0 && digits[0] == 0 {
		digits = digits[1:]
		weight--
	}
	for len(digits) > 0 && digits[len(digits)-1] == 0 {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		weight, sign = 0, 0
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(digits)))
	buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, uint16(s))
	for _, g := range digits {
		buf = binary.BigEndian.AppendUint16(buf, g)
	}
	return buf, true
}
