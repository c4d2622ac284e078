package source

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func writeFile(t testing.TB, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func encodeUTF16(t testing.TB, s string, be, bom bool) []byte {
	t.Helper()
	e := unicode.LittleEndian
	if be {
		e = unicode.BigEndian
	}
	b := unicode.UseBOM
	if !bom {
		b = unicode.IgnoreBOM
	}
	out, err := unicode.UTF16(e, b).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func encodeGB(t testing.TB, s string) []byte {
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func encode1252(t testing.TB, s string) []byte {
	out, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type readResult struct {
	enc     string
	delim   rune
	header  []string
	records [][]string
	lines   []int
	offsets []int64
	probs   []*Error
}

func readAll(t testing.TB, path string, opts Options) (readResult, error) {
	t.Helper()
	f, err := Open(path, opts)
	if err != nil {
		return readResult{}, err
	}
	defer f.Close()
	res := readResult{enc: f.Encoding(), delim: f.Delimiter(), header: f.Header()}
	for {
		rec, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, err
		}
		res.records = append(res.records, slices.Clone(rec.Fields))
		res.lines = append(res.lines, rec.Line)
		res.offsets = append(res.offsets, rec.Offset)
		res.probs = append(res.probs, rec.Problem)
		// Every record can be read again by its offset.
		again, err := f.ReadAt(rec.Offset)
		if rec.Problem == nil && (err != nil || !slices.Equal(again, rec.Fields)) {
			t.Errorf("ReadAt(%d) = %q, %v; want %q", rec.Offset, again, err, rec.Fields)
		}
	}
	if read, size := f.Progress(); read != size {
		t.Errorf("progress at end = %d/%d", read, size)
	}
	return res, nil
}

const zh = "名称,行业,电话\n华为技术有限公司,科技,0755-28780808\n阿里巴巴集团,零售,0571-85022088\n中国石油天然气集团有限公司,能源,010-59986223\n"

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		data    func(t testing.TB) []byte
		opts    Options
		enc     string
		delim   rune
		header  []string
		records [][]string
		lines   []int
	}{
		{name: "plain LF", data: lit("a,b\n1,2\n3,4\n"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}},
		{name: "no final newline", data: lit("a,b\n1,2"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}}, lines: []int{2}},
		{name: "header only", data: lit("a,b\n"), enc: UTF8, delim: ',', header: []string{"a", "b"}},
		{name: "CRLF", data: lit("a,b\r\n1,2\r\n3,4\r\n"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}},
		{name: "CR only", data: lit("a,b\r1,2\r3,4\r"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}},
		{name: "mixed endings", data: lit("a,b\r\n1,2\r3,4\n5,6\r\n7,8"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}, {"3", "4"}, {"5", "6"}, {"7", "8"}}, lines: []int{2, 3, 4, 5}},
		{name: "multi-line quoted fields", data: lit("id,note\n1,\"two\nlines\"\n2,\"three\r\nlines\r\nhere\"\n3,x\n"), enc: UTF8, delim: ',',
			header: []string{"id", "note"}, records: [][]string{{"1", "two\nlines"}, {"2", "three\nlines\nhere"}, {"3", "x"}}, lines: []int{2, 4, 7}},
		{name: "blank lines skipped", data: lit("a,b\n\n1,2\n\r\n\n3,4\n\n"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{3, 6}},
		{name: "semicolon", data: lit("a;b;c\n1,5;2;3\n"), enc: UTF8, delim: ';',
			header: []string{"a", "b", "c"}, records: [][]string{{"1,5", "2", "3"}}, lines: []int{2}},
		{name: "tab", data: lit("a\tb\n\"x,y\"\t2\n"), enc: UTF8, delim: '\t',
			header: []string{"a", "b"}, records: [][]string{{"x,y", "2"}}, lines: []int{2}},
		{name: "pipe", data: lit("a|b\n1|2\n"), enc: UTF8, delim: '|',
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}}, lines: []int{2}},
		{name: "quoted delimiters do not fool the sniffer", data: lit("name;city\n\"Smith, John\";Paris\n\"Doe, Jane\";Lyon\n"), enc: UTF8, delim: ';',
			header: []string{"name", "city"}, records: [][]string{{"Smith, John", "Paris"}, {"Doe, Jane", "Lyon"}}, lines: []int{2, 3}},
		{name: "delimiter override", data: lit("a;b\n1;2\n"), opts: Options{Delimiter: ','}, enc: UTF8, delim: ',',
			header: []string{"a;b"}, records: [][]string{{"1;2"}}, lines: []int{2}},
		{name: "header trimmed", data: lit(" Name , Email\n1,2\n"), enc: UTF8, delim: ',',
			header: []string{"Name", "Email"}, records: [][]string{{"1", "2"}}, lines: []int{2}},
		{name: "utf-8 BOM", data: lit("\xEF\xBB\xBFname,city\nZoë,Zürich\n"), enc: UTF8BOM, delim: ',',
			header: []string{"name", "city"}, records: [][]string{{"Zoë", "Zürich"}}, lines: []int{2}},
		{name: "utf-8 chinese", data: lit(zh), enc: UTF8, delim: ',',
			header: []string{"名称", "行业", "电话"}, records: zhRecords, lines: []int{2, 3, 4}},
		{name: "gbk", data: func(t testing.TB) []byte { return encodeGB(t, zh) }, enc: GB18030, delim: ',',
			header: []string{"名称", "行业", "电话"}, records: zhRecords, lines: []int{2, 3, 4}},
		{name: "gbk CRLF", data: func(t testing.TB) []byte { return encodeGB(t, strings.ReplaceAll(zh, "\n", "\r\n")) }, enc: GB18030, delim: ',',
			header: []string{"名称", "行业", "电话"}, records: zhRecords, lines: []int{2, 3, 4}},
		{name: "utf-16le BOM", data: func(t testing.TB) []byte { return encodeUTF16(t, zh, false, true) }, enc: UTF16LE, delim: ',',
			header: []string{"名称", "行业", "电话"}, records: zhRecords, lines: []int{2, 3, 4}},
		{name: "utf-16be BOM", data: func(t testing.TB) []byte { return encodeUTF16(t, zh, true, true) }, enc: UTF16BE, delim: ',',
			header: []string{"名称", "行业", "电话"}, records: zhRecords, lines: []int{2, 3, 4}},
		{name: "utf-16le no BOM tab", data: func(t testing.TB) []byte {
			return encodeUTF16(t, "name\tcity\r\nAnn\tOslo\r\nBo\t\"Ri\r\nga\"\r\n", false, false)
		}, enc: UTF16LE, delim: '\t',
			header: []string{"name", "city"}, records: [][]string{{"Ann", "Oslo"}, {"Bo", "Ri\nga"}}, lines: []int{2, 3}},
		{name: "utf-16be no BOM CR only", data: func(t testing.TB) []byte { return encodeUTF16(t, "name,city\rAnn,Oslo\rBo,Riga\r", true, false) }, enc: UTF16BE, delim: ',',
			header: []string{"name", "city"}, records: [][]string{{"Ann", "Oslo"}, {"Bo", "Riga"}}, lines: []int{2, 3}},
		{name: "windows-1252", data: func(t testing.TB) []byte {
			return encode1252(t, "name;price\nCafé Crème;€5\nNaïve Façade;€7\n")
		}, enc: Windows1252, delim: ';',
			header: []string{"name", "price"}, records: [][]string{{"Café Crème", "€5"}, {"Naïve Façade", "€7"}}, lines: []int{2, 3}},
		{name: "short gbk header only", data: func(t testing.TB) []byte { return encodeGB(t, "名称,电话\n") }, enc: GB18030, delim: ',',
			header: []string{"名称", "电话"}},
		{name: "short gbk", data: func(t testing.TB) []byte { return encodeGB(t, "name;city\n张三;北京\n") }, enc: GB18030, delim: ';',
			header: []string{"name", "city"}, records: [][]string{{"张三", "北京"}}, lines: []int{2}},
		{name: "short windows-1252", data: func(t testing.TB) []byte {
			return encode1252(t, "Name,Street\nMüller,Hauptstraße 5\nCafé Noël,Rue de l'Été\n")
		}, enc: Windows1252, delim: ',',
			header: []string{"Name", "Street"}, records: [][]string{{"Müller", "Hauptstraße 5"}, {"Café Noël", "Rue de l'Été"}}, lines: []int{2, 3}},
		{name: "windows-1252 accents only", data: func(t testing.TB) []byte { return encode1252(t, "nom\nélève\nça\n") }, enc: Windows1252, delim: ',',
			header: []string{"nom"}, records: [][]string{{"élève"}, {"ça"}}, lines: []int{2, 3}},
		{name: "quotes in a decoded file", data: func(t testing.TB) []byte {
			return encodeUTF16(t, "a,b\n5\" screen,1\n\"x\"\"\ny\",2\nz\"q\"\"r,3\n\"\",4\n", false, true)
		}, enc: UTF16LE, delim: ',', header: []string{"a", "b"},
			records: [][]string{{}, {"x\"\ny", "2"}, {}, {"", "4"}}, lines: []int{2, 3, 5, 6}},
		{name: "encoding override", data: lit("name\nCaf\xe9\n"), opts: Options{Encoding: "cp1252"}, enc: Windows1252, delim: ',',
			header: []string{"name"}, records: [][]string{{"Café"}}, lines: []int{2}},
		{name: "ragged rows are row problems", data: lit("a,b\n1,2,3\n4\n5,6\n"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{"1", "2", "3"}, {"4"}, {"5", "6"}}, lines: []int{2, 3, 4}},
		{name: "bare quote is a row problem", data: lit("a,b\n5\" screen,2\n3,4\n"), enc: UTF8, delim: ',',
			header: []string{"a", "b"}, records: [][]string{{}, {"3", "4"}}, lines: []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readAll(t, writeFile(t, tt.data(t)), tt.opts)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if res.enc != tt.enc || res.delim != tt.delim {
				t.Errorf("encoding, delimiter = %s %q; want %s %q", res.enc, res.delim, tt.enc, tt.delim)
			}
			if !slices.Equal(res.header, tt.header) {
				t.Errorf("header = %q; want %q", res.header, tt.header)
			}
			if len(res.records) != len(tt.records) {
				t.Fatalf("records = %q; want %q", res.records, tt.records)
			}
			for i := range tt.records {
				if res.probs[i] == nil && !slices.Equal(res.records[i], tt.records[i]) {
					t.Errorf("record %d = %q; want %q", i, res.records[i], tt.records[i])
				}
			}
			if !slices.Equal(res.lines, tt.lines) {
				t.Errorf("lines = %v; want %v", res.lines, tt.lines)
			}
		})
	}
}

var zhRecords = [][]string{{"华为技术有限公司", "科技", "0755-28780808"}, {"阿里巴巴集团", "零售", "0571-85022088"}, {"中国石油天然气集团有限公司", "能源", "010-59986223"}}

func lit(s string) func(testing.TB) []byte { return func(testing.TB) []byte { return []byte(s) } }

func TestRowProblems(t *testing.T) {
	res, err := readAll(t, writeFile(t, []byte("a,b\n1,2,3\n4\n\"x\"y,2\n5,6\n")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		code error
		line int
	}{{ErrRagged, 2}, {ErrRagged, 3}, {ErrQuote, 4}, {nil, 5}}
	if len(res.probs) != len(want) {
		t.Fatalf("got %d records, want %d", len(res.probs), len(want))
	}
	for i, w := range want {
		p := res.probs[i]
		if w.code == nil {
			if p != nil {
				t.Errorf("record %d: unexpected problem %v", i, p)
			}
			continue
		}
		if p == nil || !errors.Is(p, w.code) || p.Line != w.line {
			t.Errorf("record %d: problem %v; want %v on line %d", i, p, w.code, w.line)
		}
	}
}

func TestOffsets(t *testing.T) {
	data := "h1,h2\n1,\"a\nb\"\n\n2,c\r\n3,d\r4,e"
	res, err := readAll(t, writeFile(t, []byte(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Offsets point at the record (or at blank lines just before it).
	want := []int64{6, 14, 20, 24}
	if !slices.Equal(res.offsets, want) {
		t.Errorf("offsets = %v; want %v", res.offsets, want)
	}
	// The same in UTF-16 with a BOM: offsets are file bytes.
	res, err = readAll(t, writeFile(t, encodeUTF16(t, data, false, true)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if res.offsets[i] != 2+2*want[i] {
			t.Errorf("utf-16 offset %d = %d; want %d", i, res.offsets[i], 2+2*want[i])
		}
	}
}

func TestFileErrors(t *testing.T) {
	tests := []struct {
		name string
		data func(t testing.TB) []byte
		opts Options
		code error
		line int
		msg  string // part of the message
	}{
		{name: "empty", data: lit(""), code: ErrEmpty, msg: "0 bytes"},
		{name: "BOM only", data: lit("\xEF\xBB\xBF"), code: ErrEmpty, msg: "byte-order mark"},
		{name: "UTF-16 BOM only", data: lit("\xFF\xFE"), code: ErrEmpty, msg: "byte-order mark"},
		{name: "blank lines only", data: lit("\n\r\n\n"), code: ErrEmpty, msg: "no header"},
		{name: "NUL bytes", data: lit("a,b\n1,\x00\x002\n"), code: ErrBinary, line: 2, msg: "NUL"},
		{name: "zip file", data: lit("PK\x03\x04\x14\x00\x00\x00\x08\x00"), code: ErrBinary, msg: "NUL"},
		{name: "control character", data: lit("a,b\n1,2\n3,\x01\n"), code: ErrBinary, line: 3, msg: "0x01"},
		{name: "NUL after the sample", data: func(testing.TB) []byte {
			return append([]byte("a,b\n"+strings.Repeat("1,2\n", 20000)), "3,\x004\n"...)
		}, code: ErrBinary, line: 20002},
		{name: "NUL in gbk", data: func(t testing.TB) []byte { return append(encodeGB(t, zh), "x,\x00,y\n"...) }, opts: Options{Encoding: GB18030}, code: ErrBinary, line: 5},
		{name: "unclosed quote", data: lit("a,b\n1,2\n3,\"abc\n4,5\n"), code: ErrQuote, line: 3, msg: "never closed"},
		{name: "blank header", data: lit("a,,c\n1,2,3\n"), code: ErrHeader, line: 1, msg: "column 2"},
		{name: "duplicate header", data: lit("Email,Name,email \n1,2,3\n"), code: ErrHeader, line: 1, msg: `columns 1 ("Email") and 3 ("email")`},
		{name: "too large", data: lit(strings.Repeat("a,b\n", 300)), opts: Options{MaxBytes: 1000}, code: ErrTooLarge, msg: "split it into parts"},
		{name: "unknown encoding", data: lit("a\n"), opts: Options{Encoding: "ebcdic"}, code: ErrEncoding},
		{name: "bad delimiter", data: lit("a\n"), opts: Options{Delimiter: '"'}, code: ErrDelimiter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, writeFile(t, tt.data(t)), tt.opts)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.code) {
				t.Fatalf("error = %v; want %v", err, tt.code)
			}
			if tt.line != 0 && e.Line != tt.line {
				t.Errorf("line = %d; want %d (%v)", e.Line, tt.line, e)
			}
			if !strings.Contains(e.Error(), tt.msg) {
				t.Errorf("message %q does not say %q", e.Error(), tt.msg)
			}
		})
	}
}

func TestTooLargeMessage(t *testing.T) {
	p := writeFile(t, make([]byte, 2<<20))
	_, err := Open(p, Options{MaxBytes: 1 << 20})
	want := "the file is 2 MB (2,097,152 bytes) and the limit is 1 MB (1,048,576 bytes): split it into parts of under 1 MB, keeping the header row in each, or raise the file size limit (Settings)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestBigField(t *testing.T) {
	big := strings.Repeat("x", 12<<20)
	// Over the default limit of one value: a setting lets it through.
	res, err := readAll(t, writeFile(t, []byte("id,blob,z\n1,\""+big+"\",2\n3,y,4\n")), Options{Limits: Limits{MaxFieldBytes: 16 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.records) != 2 || res.records[0][1] != big || res.lines[1] != 3 {
		t.Errorf("12 MB field not read back")
	}
}

func TestManyColumns(t *testing.T) {
	var h, r bytes.Buffer
	for i := range 5000 {
		if i > 0 {
			h.WriteByte(';')
			r.WriteByte(';')
		}
		h.WriteString("col" + string(rune('a'+i%26)) + strings.Repeat("x", i/26))
		r.WriteString("v")
	}
	data := h.String() + "\n" + r.String() + "\n"
	res, err := readAll(t, writeFile(t, []byte(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.delim != ';' || len(res.header) != 5000 || len(res.records) != 1 || len(res.records[0]) != 5000 {
		t.Errorf("got delimiter %q, %d columns, %d records", res.delim, len(res.header), len(res.records))
	}
}

func TestInspect(t *testing.T) {
	p := writeFile(t, []byte("Name;City\nAnn;Oslo\nBo;Riga\nCy;Rome\n"))
	info, err := Inspect(p, Options{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if info.Encoding != "utf-8" || info.Delimiter != ";" || info.RowCount != 3 || len(info.Rows) != 2 ||
		info.Rows[1]["City"] != "Riga" || !slices.Equal(info.Records[0], []string{"Ann", "Oslo"}) || info.Lines[1] != 3 {
		t.Errorf("Inspect = %+v", info)
	}
}

// TestHashWhileReading: with Options.Hash, File.SHA256 is the file's
// SHA-256 (BOM, lone CRs and all) once Next reached the end, in every
// encoding; before that, or without the option, there is none.
func TestHashWhileReading(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"utf8":    []byte("a,b\r1,2\r\n3,\"x\ry\"\n"),
		"bom":     append([]byte{0xEF, 0xBB, 0xBF}, "a,b\n1,2\n"...),
		"utf16le": {0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0, '\n', 0, '1', 0, ',', 0, '2', 0, '\n', 0},
		"big":     accountCSV(300 << 10),
	} {
		p := filepath.Join(dir, name+".csv")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%x", sha256.Sum256(data))
		f, err := Open(p, Options{Hash: true})
		if err != nil {
			t.Fatal(name, err)
		}
		if _, ok := f.SHA256(); ok {
			t.Errorf("%s: a sum before the end", name)
		}
		for {
			if _, err := f.Next(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(name, err)
			}
		}
		if got, ok := f.SHA256(); !ok || got != want {
			t.Errorf("%s: %q %v, want %q", name, got, ok, want)
		}
		f.Close()
		f, _ = Open(p, Options{})
		for f.Next(); ; {
			if _, err := f.Next(); err != nil {
				break
			}
		}
		if _, ok := f.SHA256(); ok {
			t.Errorf("%s: a sum without Options.Hash", name)
		}
		f.Close()
	}
}
