package source

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSource opens arbitrary bytes as a CSV file under every encoding
// override, with small limits on odd runs: it must never panic, and every
// error must be an *Error (or io.EOF), every record must have a line and an
// offset from which ReadAt reads the same record again, a record without a
// problem holds only valid UTF-8, and no field is over the limit.
func FuzzSource(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a;b\r3;4\r", "\xEF\xBB\xBFx\n\"q\"\"\n\"\n", "\xFF\xFEa\x00,\x00b\x00\n\x00",
		"a,b\n\"open\n", "a,a\n", "h\n\x00", "名称\n华为\n", "a\tb\n1\t2\t3\n",
		// Hostile: invalid text in each encoding, misplaced quotes, long
		// fields and records, many columns, blank rows.
		"\xFF\xFEa\x00,\x00b\x00\n\x001\x00,\x00\x00\xD8\n\x00", "\xFE\xFF\x00a\x00\n\xDC\x00\x00\n",
		"a,b\n1,caf\xe9\n", "a\n\xe4\xb8", "\xc3\xa9,b\n\x81 ,\xff\n", "a,b\nAc\"me,A-1\n\"x\"y,2\n",
		"a,b\n1," + strings.Repeat("x", 300) + "\n", "a,b\n1,\"" + strings.Repeat("y\n", 200) + "\"\n",
		"a,b\n" + strings.Repeat("1,", 100) + "\n", "a,b\n,\n , \n\"\",\n1,2\n,\n", strings.Repeat("h", 2000) + "\n1\n"} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(len(Encodings)+1))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, enc uint8) {
		p := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		opts := Options{MaxBytes: 1 << 20}
		if int(enc) < len(Encodings) {
			opts.Encoding = Encodings[enc]
		}
		if enc%2 == 1 {
			opts.Limits = Limits{MaxFieldBytes: 64, MaxRecordBytes: 256, MaxColumns: 8}
		}
		lim := opts.Limits.withDefaults()
		sf, err := Open(p, opts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Open error %T %v is not *Error", err, err)
			}
			return
		}
		defer sf.Close()
		prev := 0
		for n := 0; n < 10000; n++ {
			rec, err := sf.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Next error %T %v is not *Error", err, err)
				}
				break
			}
			if rec.Line <= prev || rec.Offset < 0 || rec.Offset > sf.Size() {
				t.Fatalf("record line %d (prev %d) offset %d", rec.Line, prev, rec.Offset)
			}
			prev = rec.Line
			for _, v := range rec.Fields {
				if rec.Problem == nil && !utf8.ValidString(v) {
					t.Fatalf("line %d: invalid UTF-8 %q without a problem", rec.Line, v)
				}
				if int64(len(v)) > lim.MaxFieldBytes && !errors.Is(rec.Problem, ErrQuote) {
					t.Fatalf("line %d: a %d-byte field over the %d limit", rec.Line, len(v), lim.MaxFieldBytes)
				}
			}
			if len(rec.Fields) > lim.MaxColumns && !errors.Is(rec.Problem, ErrQuote) {
				t.Fatalf("line %d: %d fields over the %d limit", rec.Line, len(rec.Fields), lim.MaxColumns)
			}
			again, err := sf.ReadAt(rec.Offset)
			if rec.Problem == nil && (err != nil || !slices.Equal(again, rec.Fields)) {
				t.Fatalf("line %d: ReadAt(%d) = %q, %v; want %q", rec.Line, rec.Offset, again, err, rec.Fields)
			}
		}
	})
}
