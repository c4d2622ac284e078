package source

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzSource opens arbitrary bytes as a CSV file under every encoding
// override: it must never panic, and every error must be an *Error (or
// io.EOF), every record must have a line and an offset from which ReadAt
// reads the same record again.
func FuzzSource(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a;b\r3;4\r", "\xEF\xBB\xBFx\n\"q\"\"\n\"\n", "\xFF\xFEa\x00,\x00b\x00\n\x00",
		"a,b\n\"open\n", "a,a\n", "h\n\x00", "名称\n华为\n", "a\tb\n1\t2\t3\n"} {
		f.Add([]byte(s), uint8(0))
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
			again, err := sf.ReadAt(rec.Offset)
			if rec.Problem == nil && (err != nil || !slices.Equal(again, rec.Fields)) {
				t.Fatalf("line %d: ReadAt(%d) = %q, %v; want %q", rec.Line, rec.Offset, again, err, rec.Fields)
			}
		}
	})
}
