package source

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"
)

// DefaultMaxBytes is the default size limit of one file: 100 MiB.
const DefaultMaxBytes int64 = 100 << 20

// sampleSize is how much of the file detection and sniffing look at.
const sampleSize = 64 << 10

// Default limits of one field, one record and the columns of a record: far
// above real CRM data (the largest text field of a CRM holds a few
// thousand characters; Excel has 16,384 columns), far below what would
// exhaust memory.
const (
	DefaultMaxFieldBytes  int64 = 1 << 20
	DefaultMaxRecordBytes int64 = 16 << 20
	DefaultMaxColumns           = 16384
)

// maxHeaderName is the longest header cell accepted: a longer one is not a
// column name, so the first line is not a header row.
const maxHeaderName = 1 << 10

// Limits bound one field, one record and the number of columns, in bytes
// of decoded text. They are enforced while the file is read, before a
// record is held in memory: a record over them stops the file with an
// ErrTooLong error naming its line and column.
type Limits struct {
	// MaxFieldBytes is the largest field; 0 means DefaultMaxFieldBytes.
	MaxFieldBytes int64
	// MaxRecordBytes is the largest record; 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int64
	// MaxColumns is the most fields a record may have; 0 means
	// DefaultMaxColumns.
	MaxColumns int
}

func (l Limits) withDefaults() Limits {
	if l.MaxFieldBytes <= 0 {
		l.MaxFieldBytes = DefaultMaxFieldBytes
	}
	if l.MaxRecordBytes <= 0 {
		l.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if l.MaxRecordBytes < l.MaxFieldBytes {
		l.MaxRecordBytes = l.MaxFieldBytes
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = DefaultMaxColumns
	}
	return l
}

// Options tune Open. The zero value detects everything with the default
// size limit.
type Options struct {
	// MaxBytes is the size limit; 0 means DefaultMaxBytes, < 0 no limit.
	MaxBytes int64
	// Encoding overrides detection: one of Encodings ("" detects).
	Encoding string
	// Delimiter overrides sniffing: ',' ';' '\t' '|' or any other
	// character encoding/csv accepts (0 sniffs).
	Delimiter rune
	// Hash computes the SHA-256 of the file's bytes as Next reads them
	// (see File.SHA256): no second pass over the file for its stamp.
	Hash bool
	// Limits bound a field, a record and the columns (zero: defaults).
	Limits
}

// Record is one data record of the file.
type Record struct {
	// Line is the file line the record starts on (the header is line 1).
	// Quoted fields that span lines make it differ from the record index.
	Line int
	// Offset is the byte offset in the file where the record's text
	// starts (blank lines just before it included); File.ReadAt(Offset)
	// reads the same record again.
	Offset int64
	// Fields holds the values, as decoded. The slice is reused by the next
	// call to Next: copy what you keep.
	Fields []string
	// Problem is non-nil when the record is unusable but the file goes on:
	// a ragged record (ErrRagged: more or fewer fields than the header), a
	// misplaced quote (ErrQuote) or text not valid in the file's encoding
	// (ErrInvalidText). Fields then holds what could be read: for a
	// misplaced quote, the record's text read leniently (quotes taken as
	// they stand), so an error report keeps it to be mended.
	Problem *Error
}

// File is an open CSV file: detected encoding and delimiter, the header,
// and a stream of records. It is not safe for concurrent use, except that
// ReadAt may be called from another goroutine than Next.
type File struct {
	f        *os.File
	path     string
	size     int64
	modTime  time.Time
	limits   Limits
	guard    *guard
	blank    int
	spec     encodingSpec
	delim    rune
	header   []string
	start    int64 // file offset of the first byte after the BOM
	text     textReader
	buf      *bufio.Reader // encoding/csv's buffer over text
	csv      *csv.Reader
	lastText int64        // text offset after the last record read
	read     atomic.Int64 // file offset after the last record read
	records  int
	err      error
	hash     hash.Hash // of the bytes read so far (Options.Hash)
}

// Open opens the CSV file at path, checks its size, detects (or takes) its
// encoding and delimiter and reads its header. The errors are *Error with
// code ErrNotFile, ErrTooLarge, ErrEmpty, ErrBinary, ErrEncoding,
// ErrDelimiter, ErrHeader, ErrInvalidText, ErrTooLong or ErrQuote, or an
// I/O error from the operating system.
//
// Only a regular file is opened: a folder, a named pipe, a device or a
// socket is refused (ErrNotFile) before opening, and the file is opened
// without blocking, so a named pipe swapped in meanwhile cannot hang it.
func Open(path string, opts Options) (*File, error) {
	if err := CheckRegular(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, err
		}
		return nil, notFile(path, st.Mode())
	}
	sf, err := open(f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return sf, nil
}

func open(f *os.File, path string, opts Options) (*File, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	limit := opts.MaxBytes
	if limit == 0 {
		limit = DefaultMaxBytes
	}
	if limit > 0 && size > limit {
		return nil, newError(0, 0, ErrTooLarge,
			"the file is %s (%s bytes) and the limit is %s (%s bytes): split it into parts of under %s, keeping the header row in each, or raise the file size limit (Settings)",
			humanSize(size), groupDigits(size), humanSize(limit), groupDigits(limit), humanSize(limit))
	}
	if size == 0 {
		return nil, newError(0, 0, ErrEmpty, "the file is empty (0 bytes): it needs at least a header row")
	}
	sample := make([]byte, min(size, sampleSize))
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, size), sample); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	truncated := int64(len(sample)) < size

	sf := &File{f: f, path: path, size: size, modTime: st.ModTime(), limits: opts.Limits.withDefaults()}
	if opts.Encoding != "" {
		spec, ok := specFor(opts.Encoding)
		if !ok {
			return nil, newError(0, 0, ErrEncoding, "unknown encoding %q: use one of %s", opts.Encoding, strings.Join(Encodings, ", "))
		}
		sf.spec = spec
	} else {
		spec, binary := detectEncoding(sample, truncated)
		if binary {
			return nil, sf.binary(&binaryError{rawOffset: int64(bytes.IndexByte(sample, 0)), char: 0})
		}
		sf.spec = spec
	}
	if len(sf.spec.bom) > 0 && bytes.HasPrefix(sample, sf.spec.bom) {
		sf.start = int64(len(sf.spec.bom))
	}
	if sf.start == size {
		return nil, newError(0, 0, ErrEmpty, "the file holds only a byte-order mark (%s): it needs at least a header row", sf.spec.name)
	}

	// Decode the start of the file for the delimiter sniffer.
	text, err := io.ReadAll(io.LimitReader(sf.newText(sf.start, sampleSize), sampleSize))
	var be *binaryError
	if errors.As(err, &be) {
		return nil, sf.binary(be)
	} else if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(bytes.TrimSpace(text)) == 0 && !truncated {
		return nil, newError(0, 0, ErrEmpty, "the file has no header row: it holds only blank lines")
	}
	switch d := opts.Delimiter; {
	case d == 0:
		sf.delim = sniffDelimiter(text, truncated)
	case d == '"' || d == '\r' || d == '\n' || d == utf8.RuneError || d < 0:
		return nil, newError(0, 0, ErrDelimiter, "%q cannot be a delimiter: use , ; | or tab", d)
	default:
		sf.delim = d
	}

	var stream io.Reader = io.NewSectionReader(f, sf.start, size-sf.start)
	if opts.Hash {
		sf.hash = sha256.New()
		sf.hash.Write(sample[:sf.start]) // the byte-order mark
		stream = io.TeeReader(stream, sf.hash)
	}
	sf.text = sf.newTextFrom(stream, sf.start, 64<<10)
	sf.guard = sf.newGuard(sf.text)
	// encoding/csv reads from this bufio.Reader as is (it wraps only
	// smaller ones): the UTF-8 reader fills its buffer in place, and the
	// guard checks the bytes there.
	sf.buf = bufio.NewReaderSize(sf.guard, 64<<10)
	sf.csv = sf.newCSV(sf.buf)
	sf.read.Store(sf.start)
	rec, err := sf.Next()
	if err == io.EOF {
		return nil, newError(0, 0, ErrEmpty, "the file has no header row: it holds only blank lines")
	}
	if err != nil {
		return nil, err
	}
	if rec.Problem != nil {
		return nil, rec.Problem
	}
	sf.records = 0
	if sf.header, err = checkHeader(rec.Fields, rec.Line); err != nil {
		return nil, err
	}
	return sf, nil
}

// checkHeader trims the names and refuses blank, repeated and overlong
// ones.
func checkHeader(fields []string, line int) ([]string, error) {
	h := make([]string, len(fields))
	seen := make(map[string]int, len(fields))
	for i, name := range fields {
		name = strings.TrimSpace(name)
		h[i] = name
		if name == "" {
			return nil, newError(line, i+1, ErrHeader, "column %d has no name in the header row: give every column a name, or delete the empty column", i+1)
		}
		if len(name) > maxHeaderName {
			return nil, newError(line, i+1, ErrHeader, "column %d of the first row is %s bytes long (%s), which no column name is: the first row is not a header row — the file must start with a row of column names",
				i+1, groupDigits(int64(len(name))), quote(name))
		}
		key := strings.ToLower(name)
		if j, dup := seen[key]; dup {
			return nil, newError(line, i+1, ErrHeader, "columns %d (%s) and %d (%s) have the same name: rename one of them", j+1, quote(h[j]), i+1, quote(name))
		}
		seen[key] = i
	}
	return h, nil
}

// newText starts a text pipeline at file offset at; bufSize is the read
// buffer (large for streaming, small for ReadAt).
func (sf *File) newText(at int64, bufSize int) textReader {
	return sf.newTextFrom(io.NewSectionReader(sf.f, at, sf.size-at), at, bufSize)
}

// newTextFrom is newText on r, which reads the file from offset at.
func (sf *File) newTextFrom(r io.Reader, at int64, bufSize int) textReader {
	if sf.spec.enc == nil {
		return newUTF8Reader(r, at)
	}
	return newDecodeReader(r, sf.spec, at, bufSize, sf.delim)
}

// newGuard puts a guard over a text pipeline: limits always, and the
// check of the text (the bytes themselves for UTF-8, the decoder's marks
// otherwise).
func (sf *File) newGuard(t textReader) *guard {
	var m marker
	if d, ok := t.(*decodeReader); ok {
		m = d
	}
	return newGuard(t, m, sf.spec.enc == nil, sf.limits, sf.delim)
}

func (sf *File) newCSV(r io.Reader) *csv.Reader {
	c := csv.NewReader(r)
	c.Comma = sf.delim
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	return c
}

// Encoding returns the encoding name (one of Encodings).
func (sf *File) Encoding() string { return sf.spec.name }

// Delimiter returns the field delimiter.
func (sf *File) Delimiter() rune { return sf.delim }

// Header returns the column names, trimmed, in file order.
func (sf *File) Header() []string { return sf.header }

// Size returns the file size in bytes.
func (sf *File) Size() int64 { return sf.size }

// Progress returns the bytes of the file consumed so far and its size;
// read/size is the fraction done. It may be called from any goroutine.
func (sf *File) Progress() (read, size int64) { return sf.read.Load(), sf.size }

// SHA256 returns the hex SHA-256 of the whole file once Next has returned
// io.EOF, when it was opened with Options.Hash; ok is false otherwise.
func (sf *File) SHA256() (sum string, ok bool) {
	if sf.hash == nil || sf.err != io.EOF {
		return "", false
	}
	return hex.EncodeToString(sf.hash.Sum(nil)), true
}

// Records returns the number of data records returned so far.
func (sf *File) Records() int { return sf.records }

// Blank returns the number of records skipped so far because every one of
// their cells is empty (Excel leaves such rows after the data).
func (sf *File) Blank() int { return sf.blank }

// Close closes the file.
func (sf *File) Close() error { return sf.f.Close() }

// Next returns the next data record, or io.EOF after the last one. A
// ragged record, a misplaced quote or text not valid in the encoding is
// returned as a record with Problem set, and reading goes on. A record
// whose cells are all empty is skipped (see Blank). A quote left open
// until the end of the file (ErrQuote), binary data (ErrBinary), a field
// or record over the limits (ErrTooLong) and a file that changed while it
// was read (ErrChanged) are file errors: Next returns them, positioned,
// and keeps returning them.
func (sf *File) Next() (Record, error) {
	for {
		rec, err := sf.next()
		// A blank row counts as blank whatever its number of fields.
		if err != nil || sf.header == nil || !allBlank(rec.Fields) || (rec.Problem != nil && rec.Problem.Code != ErrRagged) {
			return rec, err
		}
		sf.records--
		sf.blank++
	}
}

func allBlank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func (sf *File) next() (Record, error) {
	if sf.err != nil {
		return Record{}, sf.err
	}
	fields, err := sf.csv.Read()
	offset := sf.text.fileOffset(sf.lastText)
	sf.lastText = sf.csv.InputOffset()
	bad, isBad := sf.guard.takeBad(sf.lastText)
	if err != nil {
		var pe *csv.ParseError
		var be *binaryError
		var le *limitError
		switch {
		case err == io.EOF:
			if cerr := sf.checkUnchanged(); cerr != nil {
				sf.err = cerr
				return Record{}, sf.err
			}
			sf.read.Store(sf.size)
			sf.err = io.EOF
			return Record{}, io.EOF
		case errors.As(err, &be):
			sf.err = sf.binary(be)
			return Record{}, sf.err
		case errors.As(err, &le):
			sf.err = sf.tooLong(le)
			return Record{}, sf.err
		case errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)):
			if sf.text.atEOF() && sf.buf.Buffered() == 0 && errors.Is(pe.Err, csv.ErrQuote) {
				if cerr := sf.checkUnchanged(); cerr != nil {
					sf.err = cerr
					return Record{}, sf.err
				}
				sf.err = newError(pe.StartLine, 0, ErrQuote, "a quoted field that starts on line %d is never closed: add the missing closing quote (\")", pe.StartLine)
				return Record{}, sf.err
			}
			sf.records++
			next := sf.text.fileOffset(sf.lastText)
			if next >= 0 {
				sf.read.Store(next)
			}
			col := max(len(fields), 1)
			msg := "a quote (\") appears inside a field that is not quoted: put the whole field in quotes and double the quote (\"\")"
			if errors.Is(pe.Err, csv.ErrQuote) {
				msg = "text follows the closing quote of a quoted field: double the quote (\"\") if it belongs to the value"
			}
			return Record{Line: pe.StartLine, Offset: offset, Fields: sf.lenient(offset, next),
				Problem: &Error{Line: pe.Line, Column: col, Code: ErrQuote, Message: msg}}, nil
		default:
			sf.err = fmt.Errorf("read %s: %w", sf.path, err)
			return Record{}, sf.err
		}
	}
	line, _ := sf.csv.FieldPos(0)
	if r := sf.text.fileOffset(sf.lastText); r >= 0 {
		sf.read.Store(r)
	}
	rec := Record{Line: line, Offset: offset, Fields: fields}
	if isBad {
		rec.Problem = sf.invalidText(bad)
	}
	if sf.header != nil {
		sf.records++
		if len(fields) != len(sf.header) && rec.Problem == nil {
			rec.Problem = raggedProblem(line, len(fields), len(sf.header))
		}
	}
	return rec, nil
}

// invalidText is the row problem of text not valid in the encoding.
func (sf *File) invalidText(b badText) *Error {
	what := "column " + fmt.Sprint(b.col)
	if b.col <= len(sf.header) {
		what += " (" + quote(sf.header[b.col-1]) + ")"
	}
	var why string
	switch sf.spec.name {
	case UTF8, UTF8BOM:
		why = "is not valid UTF-8 (the file probably mixes encodings): fix the value, or save the whole file again as \"CSV UTF-8\""
	case UTF16LE, UTF16BE:
		why = "is not valid UTF-16 (an unpaired surrogate or a cut character): the file is damaged, or it is not UTF-16 — choose its encoding, or save it again as \"CSV UTF-8\""
	case GB18030:
		why = "is not valid GB18030 (GBK): the file is damaged or in another encoding — choose its encoding, or save it again as \"CSV UTF-8\""
	default:
		why = "holds bytes that " + sf.spec.name + " does not define: the file is probably in another encoding — choose its encoding, or save it again as \"CSV UTF-8\""
	}
	return newError(b.line, b.col, ErrInvalidText, "the text of %s %s", what, why)
}

// tooLong turns a limitError into a positioned *Error.
func (sf *File) tooLong(le *limitError) *Error {
	switch le.what {
	case "columns":
		return newError(le.line, le.col, ErrTooLong,
			"the row that starts on line %d has more than %s fields: no CRM object has that many columns — is this a CSV file, and is its delimiter %s?",
			le.line, groupDigits(le.limit), quote(string(sf.delim)))
	case "record":
		return newError(le.line, 0, ErrTooLong,
			"the row that starts on line %d is longer than %s, the limit for one row: a quote (\") probably opens a field that is never closed, or the file is not CSV (the limit is a setting)",
			le.line, humanSize(le.limit))
	}
	hint := "the file is probably not CSV, or its line ends were lost"
	if le.quoted {
		hint = "a quote (\") probably opens a field that is never closed"
	}
	return newError(le.line, le.col, ErrTooLong,
		"a value longer than %s, the limit for one value, starts here: %s (the limit is a setting)", humanSize(le.limit), hint)
}

// lenient reads the record whose text is in the file at [off, end) again,
// with quotes taken as they stand (encoding/csv's LazyQuotes), so that a
// row with a misplaced quote keeps its values; end < 0 means unknown (the
// record is then read to its first line end, at most a record's limit).
// When even that fails, the record's raw text is the first value.
func (sf *File) lenient(off, end int64) []string {
	n := sf.limits.MaxRecordBytes
	if end > off {
		n = min(n, end-off)
	}
	n = min(n, sf.size-off)
	if off < sf.start || n <= 0 {
		return nil
	}
	text, err := io.ReadAll(sf.newTextFrom(io.NewSectionReader(sf.f, off, n), off, 4<<10))
	if err != nil && len(text) == 0 {
		return nil
	}
	if end < 0 {
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			text = text[:i+1]
		}
	}
	c := csv.NewReader(bytes.NewReader(text))
	c.Comma = sf.delim
	c.FieldsPerRecord = -1
	c.LazyQuotes = true
	if fields, err := c.Read(); err == nil && len(fields) > 0 {
		return fields
	}
	return []string{strings.TrimRight(string(text), "\r\n")}
}

// checkUnchanged refuses a file that shrank, grew or was rewritten since
// it was opened: its records would not be the file's.
func (sf *File) checkUnchanged() error {
	st, err := sf.f.Stat()
	if err != nil {
		return fmt.Errorf("read %s: %w", sf.path, err)
	}
	if st.Size() == sf.size && st.ModTime().Equal(sf.modTime) {
		return nil
	}
	how := "was rewritten"
	switch {
	case st.Size() < sf.size:
		how = fmt.Sprintf("shrank from %s to %s bytes", groupDigits(sf.size), groupDigits(st.Size()))
	case st.Size() > sf.size:
		how = fmt.Sprintf("grew from %s to %s bytes", groupDigits(sf.size), groupDigits(st.Size()))
	}
	return newError(0, 0, ErrChanged,
		"the file changed while it was read (it %s): what was read is not the file as it is now — wait until it is saved completely, then import it again", how)
}

// CheckRegular refuses, without opening it, a path that is not a regular
// file (ErrNotFile): opening a named pipe with no writer blocks for ever,
// and a device never ends. Other errors are the operating system's.
func CheckRegular(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return notFile(path, st.Mode())
	}
	return nil
}

func notFile(path string, m os.FileMode) *Error {
	what := "not a regular file"
	switch {
	case m.IsDir():
		what = "a folder"
	case m&os.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		what = "a socket"
	case m&os.ModeDevice != 0:
		what = "a device"
	case m&os.ModeSymlink != 0:
		what = "a broken link"
	}
	return newError(0, 0, ErrNotFile, "%s is %s, not a CSV file: give the path of a file saved on disk", quote(path), what)
}

func raggedProblem(line, got, want int) *Error {
	if got > want {
		return newError(line, want+1, ErrRagged, "the row has %d fields but the header has %d columns: a value probably contains the delimiter without quotes", got, want)
	}
	return newError(line, got, ErrRagged, "the row has %d fields but the header has %d columns: values are missing or a line break splits the row", got, want)
}

// binary turns a binaryError into a positioned *Error.
func (sf *File) binary(be *binaryError) *Error {
	line, col := be.line, be.col
	if line == 0 && be.rawOffset >= 0 {
		line, col = sf.lineColAt(be.rawOffset)
	}
	what := fmt.Sprintf("a control character (0x%02X)", be.char)
	if be.char == 0 {
		what = "NUL bytes"
	}
	return newError(line, col, ErrBinary,
		"the file contains %s, so it is not a CSV text file (an Excel workbook or another binary file?): save it from Excel as \"CSV UTF-8\" and try again", what)
}

// lineColAt finds the line and byte column of a file offset by scanning
// the raw bytes (only used for error messages on UTF-8 files).
func (sf *File) lineColAt(off int64) (int, int) {
	line, lineStart := 1, int64(0)
	buf := make([]byte, 64<<10)
	var prevCR bool
	for pos := int64(0); pos < off; {
		n, err := sf.f.ReadAt(buf[:min(int64(len(buf)), off-pos)], pos)
		for i := 0; i < n; i++ {
			switch buf[i] {
			case '\n':
				if !prevCR {
					line++
				}
				lineStart = pos + int64(i) + 1
			case '\r':
				line++
				lineStart = pos + int64(i) + 1
			}
			prevCR = buf[i] == '\r'
		}
		pos += int64(n)
		if err != nil || n == 0 {
			break
		}
	}
	return line, int(off-lineStart) + 1
}

// ReadAt reads the record whose text starts at the file offset off (a
// Record.Offset), as a fresh slice. It does not disturb Next. It returns
// io.EOF when nothing is left at off.
func (sf *File) ReadAt(off int64) ([]string, error) {
	if off < sf.start || off > sf.size {
		return nil, fmt.Errorf("offset %d is outside the file (%d bytes)", off, sf.size)
	}
	// Next read this record within the limits; the reader is bounded all
	// the same, for an offset Next never returned.
	c := sf.newCSV(io.LimitReader(sf.newText(off, 4<<10), sf.limits.MaxRecordBytes+2))
	c.ReuseRecord = false
	fields, err := c.Read()
	var be *binaryError
	if errors.As(err, &be) {
		return nil, sf.binary(be)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fields, &Error{Code: ErrQuote, Message: "misplaced quote in the record"}
	}
	return fields, err
}
