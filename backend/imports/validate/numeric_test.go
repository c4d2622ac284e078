package validate

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

// rat is the exact value of a pgtype.Numeric.
func rat(n pgtype.Numeric) *big.Rat {
	r := new(big.Rat).SetInt(n.Int)
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(n.Exp))), nil)
	if n.Exp < 0 {
		return r.Quo(r, new(big.Rat).SetInt(p))
	}
	return r.Mul(r, new(big.Rat).SetInt(p))
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

func TestNumericCodec(t *testing.T) {
	m := pgtype.NewMap()
	m.RegisterType(&pgtype.Type{Name: "numeric", OID: pgtype.NumericOID, Codec: NumericCodec{}})
	cases := []Decimal{{0, 0, nil}, {0, 2, nil}, {1, 0, nil}, {-1, 0, nil}, {12345, 2, nil}, {-5, 3, nil}, {1, 15, nil},
		{math.MaxInt64, 0, nil}, {math.MinInt64, 0, nil}, {math.MaxInt64, 15, nil}, {math.MinInt64, 7, nil}, {10000, 0, nil},
		{100000000, 4, nil}, {5, 1, nil}, {123456789, 9, nil}, {Big: big.NewInt(42), Scale: 1}, {Int: 7, Scale: 20}}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		cases = append(cases, Decimal{Int: r.Int64() >> r.IntN(63), Scale: int32(r.IntN(16))})
	}
	for _, d := range cases {
		buf, err := m.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, d, nil)
		if err != nil {
			t.Fatalf("encode %s: %v", d, err)
		}
		var got pgtype.Numeric
		if err := m.Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, buf, &got); err != nil {
			t.Fatalf("decode %s: %v", d, err)
		}
		want, _ := d.NumericValue()
		if rat(got).Cmp(rat(want)) != 0 {
			t.Errorf("%s came back as %v", d, rat(got).FloatString(20))
		}
		if _, fast := d.AppendNumericBinary(nil); fast && (buf[6] != 0 || int32(buf[7]) != d.Scale) {
			t.Errorf("%s: display scale %d written as %v", d, d.Scale, buf[6:8])
		}
	}
}

// BenchmarkNumericEncode compares the fast path with pgx's big.Int path.
func BenchmarkNumericEncode(b *testing.B) {
	d := Decimal{Int: 123456789, Scale: 2}
	b.Run("fast", func(b *testing.B) {
		buf := make([]byte, 0, 64)
		for b.Loop() {
			buf, _ = decimalPlan{}.Encode(d, buf[:0])
		}
	})
	b.Run("pgx", func(b *testing.B) {
		plan := pgtype.NumericCodec{}.PlanEncode(nil, pgtype.NumericOID, pgtype.BinaryFormatCode, d)
		buf := make([]byte, 0, 64)
		for b.Loop() {
			buf, _ = plan.Encode(d, buf[:0])
		}
	})
}
