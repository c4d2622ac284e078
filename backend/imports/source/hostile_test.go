package source

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// utf16Units encodes code units (not runes: unpaired surrogates allowed)
// as UTF-16 bytes.
func utf16Units(be bool, units ...uint16) []byte {
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if be {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// units16 turns ASCII text into UTF-16 code units.
func units16(s string) []uint16 {
	var u []uint16
	for _, r := range s {
		u = append(u, uint16(r))
	}
	return u
}

func cat(parts ...[]uint16) []uint16 { return slices.Concat(parts...) }

// TestInvalidText: bytes not valid in the detected (or given) encoding make
// their row a positioned problem naming the encoding; they are never
// silently replaced, and the rows around them read normally.
func TestInvalidText(t *testing.T) {
	tests := []struct {
		name  string
		data  func(t testing.TB) []byte
		opts  Options
		line  int // of the bad row (0: no problem expected)
		col   int
		words string
	}{
		{name: "utf-16le BOM, unpaired high surrogate", data: func(testing.TB) []byte {
			return utf16Units(false, cat([]uint16{0xFEFF}, units16("a,b\n1,x"), []uint16{0xD800}, units16("y\n2,z\n"))...)
		}, line: 2, col: 2, words: "not valid UTF-16"},
		{name: "utf-16be BOM, unpaired low surrogate", data: func(testing.TB) []byte {
			return utf16Units(true, cat([]uint16{0xFEFF}, units16("a,b\n1,2\n"), []uint16{0xDC00}, units16(",3\n"))...)
		}, line: 3, col: 1, words: "not valid UTF-16"},
		{name: "utf-16le no BOM, high surrogate at the end of a field", data: func(testing.TB) []byte {
			return utf16Units(false, cat(units16("name,city\nAnn,Oslo\nBo,Ri"), []uint16{0xDBFF}, units16("\nCy,Rome\n"))...)
		}, line: 3, col: 2, words: "not valid UTF-16"},
		{name: "utf-16 genuine U+FFFD is text", data: func(testing.TB) []byte {
			return utf16Units(false, cat([]uint16{0xFEFF}, units16("a,b\n1,"), []uint16{0xFFFD}, units16("\n"))...)
		}},
		{name: "utf-16 surrogate pair is text", data: func(testing.TB) []byte {
			return utf16Units(false, cat([]uint16{0xFEFF}, units16("a,b\n1,"), []uint16{0xD83D, 0xDE00}, units16("\n"))...)
		}},
		{name: "utf-8 invalid byte after the sample", data: func(testing.TB) []byte {
			return []byte("a,b\n" + strings.Repeat("1,2\n", 20000) + "3,caf\xe9\n4,5\n")
		}, line: 20002, col: 2, words: "not valid UTF-8"},
		{name: "utf-8 truncated character at the end", data: lit("a,b\n1,\xe4\xb8"), opts: Options{Encoding: UTF8}, line: 2, col: 2, words: "not valid UTF-8"},
		{name: "utf-8 BOM with a stray continuation byte", data: lit("\xEF\xBB\xBFa,b\n\x80,1\n2,3\n"), line: 2, col: 1, words: "not valid UTF-8"},
		{name: "utf-8 invalid in a quoted multi-line field", data: lit("a,b\n1,\"x\ny\xff\"\n"), opts: Options{Encoding: UTF8}, line: 3, col: 2, words: "UTF-8"},
		{name: "gb18030 lead byte without trail", data: func(t testing.TB) []byte {
			return append(encodeGB(t, zh), []byte("x,\x81 y,z\n")...)
		}, opts: Options{Encoding: GB18030}, line: 5, col: 2, words: "not valid GB18030"},
		{name: "gb18030 0xFF byte", data: func(t testing.TB) []byte {
			return append(encodeGB(t, "名称,电话\n"), []byte("\xff,1\n")...)
		}, opts: Options{Encoding: GB18030}, line: 2, col: 1, words: "GB18030"},
		{name: "gb18030 genuine U+FFFD is text", data: func(t testing.TB) []byte {
			return append(encodeGB(t, "名称,电话\n"), []byte("\x84\x31\xA4\x37,1\n")...)
		}, opts: Options{Encoding: GB18030}},
		{name: "windows-1252 undefined byte", data: lit("name\nx\x81y\n"), opts: Options{Encoding: Windows1252}, line: 2, col: 1, words: "windows-1252 does not define"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readAll(t, writeFile(t, tt.data(t)), tt.opts)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			var got *Error
			for _, p := range res.probs {
				if p != nil {
					if got != nil {
						t.Fatalf("two problems: %v, %v", got, p)
					}
					got = p
				}
			}
			if tt.line == 0 {
				if got != nil {
					t.Fatalf("unexpected problem %v", got)
				}
				return
			}
			if got == nil || !errors.Is(got, ErrInvalidText) || got.Line != tt.line || got.Column != tt.col ||
				!strings.Contains(got.Message, tt.words) {
				t.Fatalf("problem = %v; want ErrInvalidText at line %d column %d saying %q", got, tt.line, tt.col, tt.words)
			}
		})
	}
}

// TestInvalidTextEveryChunkEdge puts an invalid UTF-8 byte (and, apart, a
// valid 3-byte character) at every position around the reads' 64 KB
// edges: the valid one never counts, the invalid one always does.
func TestInvalidTextEveryChunkEdge(t *testing.T) {
	head := "a,b\n" + strings.Repeat("1,2\n", (64<<10)/4-2)
	for pad := 0; pad < 12; pad++ {
		for _, bad := range []bool{false, true} {
			v := "中"
			if bad {
				v = "\xe4\xb8x"
			}
			data := head + strings.Repeat("z", pad) + "," + v + "\n3,4\n"
			f, err := Open(writeFile(t, []byte(data)), Options{Encoding: UTF8})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				rec, err := f.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if rec.Problem != nil {
					n++
				}
			}
			f.Close()
			if want := map[bool]int{false: 0, true: 1}[bad]; n != want {
				t.Errorf("pad %d bad %v: %d problems, want %d", pad, bad, n, want)
			}
		}
	}
}

// TestHeaderInvalidText: a header that is not valid text refuses the file.
func TestHeaderInvalidText(t *testing.T) {
	_, err := Open(writeFile(t, []byte("na\xffme,b\n1,2\n")), Options{Encoding: UTF8})
	if !errors.Is(err, ErrInvalidText) {
		t.Fatalf("error = %v; want ErrInvalidText", err)
	}
}

// TestLimits: a field, a record or a column count over its limit stops the
// file with a positioned ErrTooLong, whatever the encoding, and the message
// quotes no user data.
func TestLimits(t *testing.T) {
	small := Limits{MaxFieldBytes: 100, MaxRecordBytes: 400, MaxColumns: 10}
	long := strings.Repeat("x", 101)
	tests := []struct {
		name    string
		data    func(t testing.TB) []byte
		opts    Options
		line    int
		col     int
		words   string
		records int // read before the error
	}{
		{name: "unquoted field", data: lit("a,b\n1,2\n3," + long + "\n"), line: 3, col: 2, words: "longer than", records: 1},
		{name: "quoted field", data: lit("a,b\n1,\"" + long + "\"\n"), line: 2, col: 2, words: "never closed"},
		{name: "quoted field over lines", data: lit("a,b\n1,\"" + strings.Repeat("x\n", 60) + "\"\n"), line: 2, col: 2, words: "never closed"},
		{name: "field in the header", data: lit(long + "\n1\n"), line: 1, col: 1, words: "longer than"},
		{name: "record", data: lit("a,b,c,d,e\n" + strings.Repeat(strings.Repeat("y", 90)+",", 5) + "\n"), line: 2, words: "row that starts on line 2"},
		{name: "columns", data: lit("a,b\n" + strings.Repeat("1,", 20) + "\n"), line: 2, col: 11, words: "more than 10 fields"},
		{name: "utf-16 field", data: func(t testing.TB) []byte { return encodeUTF16(t, "a,b\n1,"+long+"\n", false, true) }, line: 2, col: 2, words: "longer than"},
		{name: "gb18030 field", data: func(t testing.TB) []byte { return encodeGB(t, "名称,电话\n华为,"+strings.Repeat("华", 40)+"\n") }, opts: Options{Encoding: GB18030}, line: 2, col: 2},
		{name: "at the limit is fine", data: lit("a,b\n1," + long[1:] + "\n2,3\n"), records: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Limits = small
			f, err := Open(writeFile(t, tt.data(t)), opts)
			n := 0
			for err == nil {
				var rec Record
				if rec, err = f.Next(); err == nil {
					n++
					for _, v := range rec.Fields {
						if int64(len(v)) > small.MaxFieldBytes {
							t.Errorf("a %d-byte field came through", len(v))
						}
					}
				}
			}
			if tt.line == 0 {
				if err != io.EOF || n != tt.records {
					t.Fatalf("err %v after %d records; want EOF after %d", err, n, tt.records)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrTooLong) || e.Line != tt.line || e.Column != tt.col {
				t.Fatalf("error = %v; want ErrTooLong at line %d column %d", err, tt.line, tt.col)
			}
			if !strings.Contains(e.Message, tt.words) || strings.Contains(e.Message, "xxxxx") {
				t.Errorf("message %q: want %q and no user data", e.Message, tt.words)
			}
			if n != tt.records {
				t.Errorf("%d records before the error, want %d", n, tt.records)
			}
		})
	}
}

// TestHostileMemory reads files made to exhaust memory: a 40 MB line, a
// 40 MB quoted field, a 40 MB data line, a row of a million columns. Each
// is refused while it is read: what Open and Next allocate stays a few
// times the field limit, not the file's size.
func TestHostileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 40 MB files")
	}
	const size = 40 << 20
	dir := t.TempDir()
	files := map[string]func(w io.Writer){
		"single line": func(w io.Writer) { w.Write(bytes.Repeat([]byte("x"), size)) },
		"quoted field": func(w io.Writer) {
			io.WriteString(w, "name,note\nacme,\"")
			w.Write(bytes.Repeat([]byte("y\n"), size/2))
			io.WriteString(w, "\"\n")
		},
		"data line": func(w io.Writer) { io.WriteString(w, "name,note\nacme,"); w.Write(bytes.Repeat([]byte("z"), size)) },
		"million columns": func(w io.Writer) {
			io.WriteString(w, "name,note\n")
			w.Write(bytes.Repeat([]byte("x,"), 1<<20))
		},
		"many 900 KB fields": func(w io.Writer) {
			io.WriteString(w, "name,note\n")
			for range 45 {
				w.Write(bytes.Repeat([]byte("w"), 900<<10))
				io.WriteString(w, ",")
			}
		},
	}
	for name, write := range files {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".csv")
			w, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			write(w)
			w.Close()
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			f, err := Open(p, Options{})
			for err == nil {
				_, err = f.Next()
			}
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooLong) {
				t.Errorf("error = %v; want ErrTooLong", err)
			}
			if len(err.Error()) > 400 {
				t.Errorf("message of %d bytes", len(err.Error()))
			}
			// encoding/csv grows its buffers by appending: a record at the
			// limit costs several times the limit in allocations (before
			// the limits, this file cost over 400 MB).
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 12*uint64(DefaultMaxRecordBytes) {
				t.Errorf("allocated %d MB reading a %d MB file", alloc>>20, size>>20)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; name != "many 900 KB fields" && alloc > 16*uint64(DefaultMaxFieldBytes) {
				t.Errorf("allocated %d MB reading a %d MB file, with a %d MB field limit", alloc>>20, size>>20, DefaultMaxFieldBytes>>20)
			}
			if f != nil {
				f.Close()
			}
		})
	}
}

// TestHeaderNotAHeader: a header cell longer than 1 KiB is not a column
// name; the message quotes at most 100 characters of it.
func TestHeaderNotAHeader(t *testing.T) {
	_, err := Open(writeFile(t, []byte(strings.Repeat("h", 5000)+"\n1\n")), Options{})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrHeader) || !strings.Contains(e.Message, "not a header row") {
		t.Fatalf("error = %v; want ErrHeader: not a header row", err)
	}
	if strings.Count(e.Message, "h") > 110 {
		t.Errorf("message quotes too much: %d bytes", len(e.Message))
	}
}

// TestNotRegular: a folder, a named pipe with no writer, a device and a
// socket are refused at once, without blocking, with words for each.
func TestNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	sock := filepath.Join(dir, "s.sock")
	if l, err := net.Listen("unix", sock); err == nil {
		defer l.Close()
	}
	cases := map[string]string{dir: "a folder", fifo: "named pipe", "/dev/zero": "a device", "/dev/urandom": "a device", sock: "a socket"}
	for path, words := range cases {
		if _, err := os.Lstat(path); err != nil {
			continue
		}
		done := make(chan error, 1)
		go func() {
			_, err := Open(path, Options{})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotFile) || !strings.Contains(err.Error(), words) {
				t.Errorf("%s: error = %v; want ErrNotFile saying %q", path, err, words)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Open blocked", path)
		}
	}
}

// TestChangedWhileRead: a file that shrinks or grows while it is read is a
// file error at the end, never a quiet success.
func TestChangedWhileRead(t *testing.T) {
	data := accountCSV(2 << 20)
	for _, change := range []string{"shrink", "grow", "shrink to nothing"} {
		t.Run(change, func(t *testing.T) {
			p := writeFile(t, data)
			f, err := Open(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Next(); err != nil {
				t.Fatal(err)
			}
			switch change {
			case "shrink":
				err = os.Truncate(p, int64(len(data)/2))
			case "shrink to nothing":
				err = os.Truncate(p, 0)
			case "grow":
				var w *os.File
				if w, err = os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0); err == nil {
					_, err = w.WriteString("more,rows\n")
					w.Close()
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			for err == nil {
				_, err = f.Next()
			}
			if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "changed while it was read") {
				t.Fatalf("error = %v; want ErrChanged", err)
			}
		})
	}
}

// TestLenientQuote: a row with a misplaced quote keeps its values, read
// with quotes taken as they stand, so an error report can show them.
func TestLenientQuote(t *testing.T) {
	tests := []struct {
		name string
		data func(t testing.TB) []byte
		want []string
	}{
		{name: "bare quote", data: lit("name,no,city\nAc\"me,A-1,Oslo\nok,2,Rome\n"), want: []string{"Ac\"me", "A-1", "Oslo"}},
		{name: "bare quote later in the row", data: lit("name,no,city\nAcme,5\" screen,Oslo\nok,2,Rome\n"), want: []string{"Acme", "5\" screen", "Oslo"}},
		{name: "text after a closing quote", data: lit("name,no\n\"Ac\"me,A-1\nok,2\n"), want: []string{"Ac\"me,A-1\n"}},
		{name: "utf-16", data: func(t testing.TB) []byte {
			return encodeUTF16(t, "name,no,city\nAc\"me,A-1,Oslo\nok,2,Rome\n", false, true)
		},
			want: []string{"Ac\"me", "A-1", "Oslo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readAll(t, writeFile(t, tt.data(t)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.records) != 2 || res.probs[0] == nil || !errors.Is(res.probs[0], ErrQuote) || res.probs[1] != nil {
				t.Fatalf("records %q problems %v", res.records, res.probs)
			}
			if !slices.Equal(res.records[0], tt.want) {
				t.Errorf("fields = %q; want %q", res.records[0], tt.want)
			}
			if res.records[1][0] != "ok" {
				t.Errorf("next record = %q", res.records[1])
			}
		})
	}
}

// TestBlankRows: rows whose cells are all empty (Excel leaves them after
// the data) are skipped and counted, not returned as records.
func TestBlankRows(t *testing.T) {
	f, err := Open(writeFile(t, []byte("a,b,c\n1,2,3\n,,\n , ,\n4,5,6\n,,\n,,,,,\n\"\",,\n")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []int
	for {
		rec, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, rec.Line)
	}
	if !slices.Equal(lines, []int{2, 5}) || f.Blank() != 5 || f.Records() != 2 {
		t.Errorf("lines %v, blank %d, records %d; want [2 5], 5, 2", lines, f.Blank(), f.Records())
	}
}

// TestQuoteShortens: messages quote at most 100 characters of user data.
func TestQuoteShortens(t *testing.T) {
	if q := quote(strings.Repeat("名", 500)); utf8.RuneCountInString(q) > 104 {
		t.Errorf("quote = %d characters", utf8.RuneCountInString(q))
	}
	if q := quote("short"); q != `"short"` {
		t.Errorf("quote = %s", q)
	}
}

// TestInspectSampleBounded: the sample of a file of rows near the limits
// is cut, so inspecting it holds a few MB, not the rows.
func TestInspectSampleBounded(t *testing.T) {
	row := strings.Repeat(strings.Repeat("w", 200<<10)+",", 4) + "end\n"
	p := writeFile(t, []byte("a,b,c,d,e\n"+strings.Repeat(row, 30)))
	info, err := Inspect(p, Options{}, 25)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range info.Records {
		for _, v := range r {
			total += len(v)
			if len(v) > maxSampleValue+len("…") {
				t.Fatalf("a %d-byte sample value", len(v))
			}
		}
	}
	if info.RowCount != 30 || len(info.Records) != 25 || total > maxSampleBytes+25*5*len("…") || info.Records[0][4] != "end" {
		t.Errorf("rows %d, sample %d rows, %d bytes", info.RowCount, len(info.Records), total)
	}
}
