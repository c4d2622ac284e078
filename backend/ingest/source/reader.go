package source

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// This file holds the two byte pipelines that feed encoding/csv: utf8Reader
// (no decoding: the fast path) and decodeReader (any other encoding). Both
// turn a lone CR into LF (encoding/csv only splits records on LF; CRLF it
// handles itself) and stop at bytes no CSV text holds. Both map an offset in
// the text they produce back to a byte offset in the file.

// binaryError reports a forbidden control character. The reader that finds
// it knows the byte offset; File turns it into a positioned *Error.
type binaryError struct {
	rawOffset int64 // offset in the file
	line, col int   // 0 when unknown (filled in by File)
	char      rune
}

func (e *binaryError) Error() string { return "binary data" }

// ctlClass classifies bytes below 0x20: 0 allowed, 1 CR, 2 forbidden.
var ctlClass = func() (t [32]uint8) {
	for i := range t {
		t[i] = 2
	}
	t['\t'], t['\n'], t['\v'], t['\f'] = 0, 0, 0, 0
	t['\r'] = 1
	return t
}()

// textReader is what File reads: decoded UTF-8 text with LF or CRLF line
// ends, and a way back to file offsets.
type textReader interface {
	io.Reader
	// fileOffset maps an offset in the text at a record boundary (just after
	// a line end outside quotes, or 0) to the byte offset in the file.
	fileOffset(textOffset int64) int64
	// atEOF reports whether the whole file has been consumed.
	atEOF() bool
}

// utf8Reader passes UTF-8 bytes through, fixing lone CRs in place (same
// length, so offsets do not move) and stopping at forbidden control bytes.
type utf8Reader struct {
	br   *bufio.Reader
	base int64 // file offset of the first byte read
	pos  int64 // bytes returned so far
	err  error
	eof  bool
}

func newUTF8Reader(r io.Reader, base int64, bufSize int) *utf8Reader {
	return &utf8Reader{br: bufio.NewReaderSize(r, bufSize), base: base}
}

func (r *utf8Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.br.Read(p)
	for i := 0; i < n; i++ {
		c := p[i]
		if c >= 0x20 {
			continue
		}
		switch ctlClass[c] {
		case 0:
		case 1:
			if i+1 < n {
				if p[i+1] != '\n' {
					p[i] = '\n'
				}
			} else if b, e := r.br.Peek(1); e != nil || b[0] != '\n' {
				p[i] = '\n'
			}
		default:
			r.err = &binaryError{rawOffset: r.base + r.pos + int64(i), char: rune(c)}
			r.pos += int64(i)
			return i, r.err
		}
	}
	r.pos += int64(n)
	if err == io.EOF {
		r.eof = true
	}
	return n, err
}

func (r *utf8Reader) fileOffset(t int64) int64 { return r.base + t }
func (r *utf8Reader) atEOF() bool              { return r.eof }

// boundary pairs a text offset with the file offset it came from.
type boundary struct{ text, file int64 }

// decodeReader decodes a non-UTF-8 file one line at a time, so that every
// record boundary (a line end outside quotes) has a known file offset.
type decodeReader struct {
	src    io.Reader
	t      transform.Transformer
	unit   int
	be     bool
	raw    []byte
	rs, re int
	eof    bool
	out    []byte
	op     int
	err    error

	filePos  int64 // file offset of raw[rs]
	textPos  int64 // text bytes produced so far
	lines    int   // line ends produced so far
	lineText int64 // text offset where the current line starts
	q        quoteState
	marks    []boundary
}

// quoteState follows encoding/csv's quoting rules over the decoded text, so
// that only line ends outside quoted fields count as record boundaries: a
// quote opens a quoted field only at the start of a field; inside, "" is a
// quote and a lone " closes the field; a bare or stray quote makes csv drop
// the rest of the line, so the next line end is a boundary again.
type quoteState struct {
	delim      byte // the delimiter's last byte (0: no tracking)
	inQuotes   bool
	quoteSeen  bool // a '"' inside quotes, not yet known to be doubled
	fieldStart bool
}

// scan advances over b and reports, for a b that ends with '\n', whether
// that line end is a record boundary.
func (q *quoteState) scan(b []byte) (boundary bool) {
	for _, c := range b {
		if q.quoteSeen {
			q.quoteSeen = false
			if c == '"' {
				continue // doubled quote: still inside
			}
			q.inQuotes = false
		}
		if q.inQuotes {
			if c == '"' {
				q.quoteSeen = true
			}
			continue
		}
		switch {
		case c == '"' && q.fieldStart:
			q.inQuotes, q.fieldStart = true, false
		case c == '\n':
			q.fieldStart = true
		case c == q.delim:
			q.fieldStart = true
		default:
			q.fieldStart = false
		}
	}
	return !q.inQuotes && !q.quoteSeen
}

func newDecodeReader(r io.Reader, spec encodingSpec, base int64, bufSize int, delim rune) *decodeReader {
	d := &decodeReader{src: r, t: spec.enc.NewDecoder(), unit: spec.unit, be: spec.be,
		raw: make([]byte, bufSize), filePos: base}
	d.q.fieldStart = true
	if delim > 0 {
		// The last byte of a multi-byte delimiter stands for it: a
		// continuation byte never starts a field anyway.
		var b [4]byte
		n := utf8.EncodeRune(b[:], delim)
		d.q.delim = b[n-1]
	}
	d.marks = append(d.marks, boundary{0, base})
	return d
}

func (d *decodeReader) atEOF() bool { return d.eof && d.rs == d.re && d.op == len(d.out) }

func (d *decodeReader) fileOffset(t int64) int64 {
	for len(d.marks) > 0 && d.marks[0].text < t {
		d.marks = d.marks[1:]
	}
	if len(d.marks) > 0 && d.marks[0].text == t {
		return d.marks[0].file
	}
	return -1
}

func (d *decodeReader) Read(p []byte) (int, error) {
	for d.op == len(d.out) {
		if d.err != nil {
			return 0, d.err
		}
		d.err = d.produce()
	}
	n := copy(p, d.out[d.op:])
	d.op += n
	return n, nil
}

func (d *decodeReader) fill() {
	if d.eof {
		return
	}
	if d.rs > 0 {
		d.re = copy(d.raw, d.raw[d.rs:d.re])
		d.rs = 0
	}
	for d.re < len(d.raw) {
		n, err := d.src.Read(d.raw[d.re:])
		d.re += n
		if err != nil {
			d.eof = true
			return
		}
		if n == 0 {
			return
		}
	}
}

// isUnit reports whether the code unit at raw[j] is the ASCII byte c.
func (d *decodeReader) isUnit(j int, c byte) bool {
	if d.unit == 1 {
		return d.raw[j] == c
	}
	if d.be {
		return d.raw[j] == 0 && d.raw[j+1] == c
	}
	return d.raw[j] == c && d.raw[j+1] == 0
}

// findLineEnd returns the end of the next segment of raw[rs:re]: just after
// a line end (nl), or -1 when more bytes are needed to know.
func (d *decodeReader) findLineEnd() (end int, nl, loneCR bool) {
	u := d.unit
	for j := d.rs; j+u <= d.re; j += u {
		if u == 1 {
			k := bytes.IndexAny(d.raw[j:d.re], "\r\n")
			if k < 0 {
				break
			}
			j += k
		}
		switch {
		case d.isUnit(j, '\n'):
			return j + u, true, false
		case d.isUnit(j, '\r'):
			if j+2*u <= d.re {
				if d.isUnit(j+u, '\n') {
					return j + 2*u, true, false
				}
				return j + u, true, true
			}
			if d.eof {
				return j + u, true, true
			}
			return -1, false, false
		}
	}
	if d.eof || (d.rs == 0 && d.re == len(d.raw)) {
		return d.re, false, false
	}
	return -1, false, false
}

func (d *decodeReader) produce() error {
	end, nl, loneCR := d.findLineEnd()
	if end < 0 || d.rs == d.re {
		d.fill()
		if d.rs == d.re {
			return io.EOF
		}
		if end, nl, loneCR = d.findLineEnd(); end < 0 {
			end = d.re
		}
	}
	seg := d.raw[d.rs:end]
	d.out = d.out[:0]
	d.op = 0
	atEOF := d.eof && end == d.re
	used := 0
	for short := false; ; {
		if short || cap(d.out)-len(d.out) < 4*len(seg[used:])+8 {
			grown := make([]byte, len(d.out), 2*cap(d.out)+4*len(seg)+8)
			copy(grown, d.out)
			d.out = grown
		}
		nDst, nSrc, err := d.t.Transform(d.out[len(d.out):cap(d.out)], seg[used:], atEOF)
		d.out = d.out[:len(d.out)+nDst]
		used += nSrc
		if errors.Is(err, transform.ErrShortDst) {
			short = true
			continue
		}
		break
	}
	if used == 0 && !atEOF && !d.eof {
		// Not one whole character buffered: read more first.
		d.fill()
		return nil
	}
	if used == 0 {
		d.rs = d.re // undecodable tail at EOF
		return nil
	}
	if loneCR && used == len(seg) && len(d.out) > 0 && d.out[len(d.out)-1] == '\r' {
		d.out[len(d.out)-1] = '\n'
	}
	for i, c := range d.out {
		if c < 0x20 && ctlClass[c] == 2 {
			return d.binaryAt(i, c)
		}
	}
	atBoundary := d.q.scan(d.out)
	if nls := bytes.Count(d.out, []byte{'\n'}); nls > 0 {
		d.lines += nls
		d.lineText = d.textPos + int64(bytes.LastIndexByte(d.out, '\n')+1)
	}
	d.rs += used
	d.filePos += int64(used)
	d.textPos += int64(len(d.out))
	if nl && used == len(seg) && atBoundary {
		d.marks = append(d.marks, boundary{d.textPos, d.filePos})
	}
	return nil
}

// binaryAt reports a forbidden byte at d.out[i] with its line and column.
func (d *decodeReader) binaryAt(i int, c byte) error {
	line := d.lines + 1 + bytes.Count(d.out[:i], []byte{'\n'})
	start := d.lineText
	if k := bytes.LastIndexByte(d.out[:i], '\n'); k >= 0 {
		start = d.textPos + int64(k) + 1
	}
	col := int(d.textPos + int64(i) - start + 1)
	d.out = d.out[:i]
	return &binaryError{rawOffset: d.filePos, line: line, col: col, char: rune(c)}
}
