package load

import (
	"context"
	"encoding/binary"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/imports/validate"
	"batchdesk/backend/pgtest"
)

// TestBinaryCopyRoundTrip writes rows of every type encodeRow takes by its
// binary COPY and, beside it, by pgx.CopyFrom (the fallback), then checks
// that PostgreSQL holds the same values in both tables, and the expected
// text for each.
func TestBinaryCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	fastNumeric(conn)
	const cols = `(k int, t text, v varchar(20), c char(3), i8 int8, i4 int4, i2 int2, n numeric, n2 numeric(18,2),
		d date, ts timestamptz, b bool, u uuid, a text[])`
	if _, err := conn.Exec(ctx, "SET TimeZone = 'UTC'; CREATE TABLE mine "+cols+"; CREATE TABLE theirs "+cols); err != nil {
		t.Fatal(err)
	}
	names := []string{"k", "t", "v", "c", "i8", "i4", "i2", "n", "n2", "d", "ts", "b", "u", "a"}
	encs := []colEnc{encInt4, encText, encText, encText, encInt8, encInt4, encInt2, encNumeric, encNumeric,
		encDate, encTimestamptz, encBool, encUUID, encTextArray}
	shanghai := time.FixedZone("CST", 8*3600)
	ny, _ := time.LoadLocation("America/New_York")
	if ny == nil {
		ny = time.FixedZone("EDT", -4*3600) // no tzdata: the same offset in July
	}
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	u := uuid.MustParse("0b7c4a52-6f1c-4c25-9d0e-3f0a1b2c3d4e")
	date := func(y int, m time.Month, d int) pgtype.Date {
		return pgtype.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Valid: true}
	}
	rows := [][]any{
		{int64(1), "plain", "abc", "xy", int64(0), int64(0), int64(0), validate.Decimal{Int: 0}, validate.Decimal{Int: 0, Scale: 2},
			date(2000, 1, 1), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false, pgtype.UUID{Bytes: u, Valid: true}, []string{}},
		{int64(2), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(3), "Ünïcødé 客户 🚀", "日本語", "äöü", int64(math.MaxInt64), int64(math.MaxInt32), int64(math.MaxInt16),
			validate.Decimal{Int: -123456789012345678, Scale: 15}, validate.Decimal{Int: -99999999999999999, Scale: 2},
			date(1969, 7, 20), time.Date(1969, 7, 20, 20, 17, 40, 123456789, shanghai), true, u, []string{"a", "b;c", "", "客户"}},
		{int64(4), "", "", "", int64(math.MinInt64), int64(math.MinInt32), int64(math.MinInt16),
			validate.Decimal{Big: huge, Scale: 3}, validate.Decimal{Int: 1, Scale: 2},
			date(1, 1, 1), time.Date(2024, 7, 4, 12, 0, 0, 999, ny), true, [16]byte(u), []string{"x"}},
		{int64(5), "tab\tquote\"back\\slash\nline", "x", "x", int64(-1), int64(-1), int64(-1),
			validate.Decimal{Int: 120000, Scale: 0}, validate.Decimal{Int: 12345, Scale: 4},
			pgtype.Date{Valid: true, InfinityModifier: pgtype.Infinity}, pgtype.Timestamptz{Valid: true, InfinityModifier: pgtype.NegativeInfinity},
			false, pgtype.UUID{}, []string{"only"}},
		{int64(6), "x", "x", "x", int64(42), int64(42), int64(42), validate.Decimal{Int: 5, Scale: 16}, validate.Decimal{Int: -5, Scale: 1},
			pgtype.Date{Valid: true, InfinityModifier: pgtype.NegativeInfinity}, pgtype.Timestamptz{Time: time.Date(1900, 12, 31, 23, 59, 59, 0, time.UTC), Valid: true},
			true, uuid.UUID(u), nil},
	}
	buf := slices.Clone(copyHeader)
	for _, r := range rows {
		var ok bool
		if buf, ok = encodeRow(buf, encs, r); !ok {
			t.Fatalf("row %v not encoded", r[0])
		}
	}
	buf = binary.BigEndian.AppendUint16(buf, math.MaxUint16)
	sql := "COPY mine (" + quoteIdents(names) + ") FROM STDIN (FORMAT binary)"
	if _, err := conn.PgConn().CopyFrom(ctx, &copyReader{parts: [][]byte{buf}, mid: -1}, sql); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"theirs"}, names, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	text := func(tbl string) []string {
		q := "SELECT concat_ws(' | ', k, coalesce(t, 'NULL'), coalesce(v, 'NULL'), coalesce(c, 'NULL'), coalesce(i8::text, 'NULL'), coalesce(i4::text, 'NULL'), coalesce(i2::text, 'NULL'), coalesce(n::text, 'NULL'), coalesce(n2::text, 'NULL'), coalesce(d::text, 'NULL'), coalesce(ts::text, 'NULL'), coalesce(b::text, 'NULL'), coalesce(u::text, 'NULL'), coalesce(a::text, 'NULL')) FROM " + tbl + " ORDER BY k"
		got, err := pgx.CollectRows(must(conn.Query(ctx, q)), pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	mine, theirs := text("mine"), text("theirs")
	if !slices.Equal(mine, theirs) {
		t.Errorf("binary COPY and pgx differ:\nmine   %s\ntheirs %s", strings.Join(mine, "\n       "), strings.Join(theirs, "\n       "))
	}
	want := []string{
		"1 | plain | abc | xy  | 0 | 0 | 0 | 0 | 0.00 | 2000-01-01 | 2000-01-01 00:00:00+00 | false | 0b7c4a52-6f1c-4c25-9d0e-3f0a1b2c3d4e | {}",
		"2 | NULL | NULL | NULL | NULL | NULL | NULL | NULL | NULL | NULL | NULL | NULL | NULL | NULL",
		"3 | Ünïcødé 客户 🚀 | 日本語 | äöü | 9223372036854775807 | 2147483647 | 32767 | -123.456789012345678 | -999999999999999.99 | 1969-07-20 | 1969-07-20 12:17:40.123456+00 | true | 0b7c4a52-6f1c-4c25-9d0e-3f0a1b2c3d4e | {a,b;c,\"\",客户}",
		"4 |  |  |     | -9223372036854775808 | -2147483648 | -32768 | -123456789012345678901234567.890 | 0.01 | 0001-01-01 | 2024-07-04 16:00:00+00 | true | 0b7c4a52-6f1c-4c25-9d0e-3f0a1b2c3d4e | {x}",
		"5 | tab\tquote\"back\\slash\nline | x | x   | -1 | -1 | -1 | 120000 | 1.23 | infinity | -infinity | false | NULL | {only}",
		"6 | x | x | x   | 42 | 42 | 42 | 0.0000000000000005 | -0.50 | -infinity | 1900-12-31 23:59:59+00 | true | 0b7c4a52-6f1c-4c25-9d0e-3f0a1b2c3d4e | NULL",
	}
	for i := range want {
		if i < len(mine) && mine[i] != want[i] {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, mine[i], want[i])
		}
	}
}

// TestBinaryCopyDeclines: values the encoder does not take make encodeRow
// fail (the batch then goes through pgx), never write something else.
func TestBinaryCopyDeclines(t *testing.T) {
	for _, c := range []struct {
		enc colEnc
		v   any
	}{
		{encText, int64(1)}, {encInt4, int64(math.MaxInt32) + 1}, {encInt2, int64(-40000)}, {encInt8, "1"},
		{encNumeric, "1.5"}, {encDate, time.Now()}, {encTimestamptz, "2020-01-01"}, {encBool, "true"},
		{encUUID, "0b7c4a52-6f1c-4c25-9d0e-3f0a1b2c3d4e"}, {encTextArray, "a;b"}, {encNone, "x"},
	} {
		if _, ok := appendValue(nil, c.enc, c.v); ok {
			t.Errorf("enc %d took %#v", c.enc, c.v)
		}
	}
}

func must(r pgx.Rows, err error) pgx.Rows {
	if err != nil {
		panic(err)
	}
	return r
}
