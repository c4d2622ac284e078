package source

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// boundary pairs a text offset with the file offset it came from.
type boundary struct{ text, file int64 }

// decodeReader decodes a non-UTF-8 file a chunk (up to 64 KB of whole
// lines) at a time and keeps, for every record boundary (a line end outside
// quoted fields), its offset in the text and in the file. It can, because a
// line end is a code unit of its own in every supported encoding (0x0A is
// never part of a GB18030 character), so the k-th line end of a decoded
// chunk is the k-th line end of its bytes.
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

	// Replacement characters the decoder wrote: lineBad holds those of the
	// current line until its raw bytes say whether they stand for invalid
	// input (they do unless the raw line holds U+FFFD itself); invalid
	// queues those that do, for the guard (nextMark, takeMark).
	genuine []byte // U+FFFD in this encoding ("" for UTF-16: see countGenuine)
	lineBad []int64
	invalid []int64
}

func (d *decodeReader) nextMark() (int64, bool) {
	if len(d.invalid) == 0 {
		return 0, false
	}
	return d.invalid[0], true
}

func (d *decodeReader) takeMark() { d.invalid = d.invalid[1:] }

// countGenuine counts U+FFFD encoded in raw (the bytes of one line or
// part of it, starting on a character boundary).
func (d *decodeReader) countGenuine(raw []byte) int {
	if d.unit == 2 {
		hi, lo := byte(0xFF), byte(0xFD)
		if d.be {
			hi, lo = lo, hi
		}
		n := 0
		for j := 0; j+1 < len(raw); j += 2 {
			if raw[j] == lo && raw[j+1] == hi {
				n++
			}
		}
		return n
	}
	if len(d.genuine) == 0 {
		return 0
	}
	return bytes.Count(raw, d.genuine)
}

// judge decides about the replacement characters of the line whose raw
// bytes are raw: with no U+FFFD in raw, every one stands for invalid
// input; with fewer than were written, the first is marked (the line has
// invalid input, its column is a guess); otherwise none.
func (d *decodeReader) judge(raw []byte) {
	if len(d.lineBad) == 0 {
		return
	}
	switch g := d.countGenuine(raw); {
	case g == 0:
		d.invalid = append(d.invalid, d.lineBad...)
	case g < len(d.lineBad):
		d.invalid = append(d.invalid, d.lineBad[0])
	}
	d.lineBad = d.lineBad[:0]
}

// quoteState follows encoding/csv's quoting rules over the decoded text, so
// that only line ends outside quoted fields count as record boundaries: a
// quote opens a quoted field only at the start of a field; inside, "" is a
// quote and a lone " closes the field; a bare or stray quote makes csv drop
// the rest of the line, so the next line end is a boundary again.
type quoteState struct {
	delim      byte // the delimiter's last byte
	inQuotes   bool
	quoteSeen  bool // a '"' inside quotes, not yet known to be doubled
	fieldStart bool
}

func newDecodeReader(r io.Reader, spec encodingSpec, base int64, bufSize int, delim rune) *decodeReader {
	d := &decodeReader{src: r, t: spec.enc.NewDecoder(), unit: spec.unit, be: spec.be,
		raw: make([]byte, bufSize), filePos: base}
	d.q.fieldStart = true
	if spec.name == GB18030 {
		d.genuine = []byte{0x84, 0x31, 0xA4, 0x37}
	}
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

// fill moves the unread bytes to the front and reads until the buffer is
// full or the file ends.
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

// chunkEnd returns where the next chunk of raw[rs:re] ends: after its last
// LF, else (a line longer than the buffer, or the end of the file) at re,
// holding back a final CR whose LF may follow.
func (d *decodeReader) chunkEnd() int {
	u := d.unit
	if u == 1 {
		if k := bytes.LastIndexByte(d.raw[d.rs:d.re], '\n'); k >= 0 {
			return d.rs + k + 1
		}
	} else {
		last := d.rs + (d.re-d.rs)/u*u - u
		for j := last; j >= d.rs; j -= u {
			if d.isUnit(j, '\n') {
				return j + u
			}
		}
	}
	end := d.rs + (d.re-d.rs)/u*u
	if d.eof {
		return d.re
	}
	if end-u > d.rs && d.isUnit(end-u, '\r') {
		end -= u
	}
	return end
}

// nextRawLineEnd returns the offset just after the next line end (LF, CRLF
// or lone CR) in raw[from:to], or -1.
func (d *decodeReader) nextRawLineEnd(from, to int) int {
	u := d.unit
	for j := from; j+u <= to; j += u {
		if u == 1 {
			k := bytes.IndexAny(d.raw[j:to], "\r\n")
			if k < 0 {
				return -1
			}
			j += k
		}
		switch {
		case d.isUnit(j, '\n'):
			return j + u
		case d.isUnit(j, '\r'):
			if j+2*u <= to && d.isUnit(j+u, '\n') {
				return j + 2*u
			}
			return j + u
		}
	}
	return -1
}

func (d *decodeReader) produce() error {
	if !d.eof && d.re-d.rs < len(d.raw)/2 {
		d.fill()
	}
	if d.rs == d.re {
		return io.EOF
	}
	end := d.chunkEnd()
	seg := d.raw[d.rs:end]
	atEOF := d.eof && end == d.re
	d.out, d.op = d.out[:0], 0
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
	if used == 0 {
		if atEOF || d.eof {
			d.rs = d.re // an undecodable tail at the end of the file
			return nil
		}
		d.fill() // not one whole character buffered yet
		return nil
	}
	return d.walk(used)
}

// walk turns lone CRs of the decoded chunk into LF, stops at forbidden
// control characters, follows the quoting and records the boundaries.
func (d *decodeReader) walk(used int) error {
	out := d.out
	rawPos := d.rs
	rawEnd := d.rs + used
	for i := 0; i < len(out); i++ {
		c := out[i]
		if d.q.quoteSeen {
			d.q.quoteSeen = false
			if c == '"' {
				continue
			}
			d.q.inQuotes = false
		}
		if c >= 0x20 {
			if c == 0xEF && i+2 < len(out) && out[i+1] == 0xBF && out[i+2] == 0xBD {
				d.lineBad = append(d.lineBad, d.textPos+int64(i))
			}
			switch {
			case d.q.inQuotes:
				if c == '"' {
					d.q.quoteSeen = true
				}
			case c == '"' && d.q.fieldStart:
				d.q.inQuotes, d.q.fieldStart = true, false
			default:
				d.q.fieldStart = c == d.q.delim
			}
			continue
		}
		switch ctlClass[c] {
		case 2:
			return d.binaryAt(i, c)
		case 1: // CR: a line end of its own unless LF follows
			if i+1 < len(out) && out[i+1] == '\n' {
				if !d.q.inQuotes {
					d.q.fieldStart = false
				}
				continue
			}
			out[i] = '\n'
			c = '\n'
		}
		if c != '\n' {
			if !d.q.inQuotes {
				d.q.fieldStart = c == d.q.delim
			}
			continue
		}
		// A line end: pair it with the raw one.
		if next := d.nextRawLineEnd(rawPos, rawEnd); next >= 0 {
			d.judge(d.raw[rawPos:next])
			rawPos = next
		}
		d.lines++
		d.lineText = d.textPos + int64(i) + 1
		if !d.q.inQuotes {
			d.q.fieldStart = true
			d.marks = append(d.marks, boundary{d.textPos + int64(i) + 1, d.filePos + int64(rawPos-d.rs)})
		}
	}
	d.judge(d.raw[rawPos:rawEnd])
	d.rs += used
	d.filePos += int64(used)
	d.textPos += int64(len(out))
	return nil
}

// binaryAt reports a forbidden byte at d.out[i] with its line and column,
// keeping the text before it.
func (d *decodeReader) binaryAt(i int, c byte) error {
	col := int(d.textPos + int64(i) - d.lineText + 1)
	d.out = d.out[:i]
	d.textPos += int64(i)
	return &binaryError{rawOffset: -1, line: d.lines + 1, col: col, char: rune(c)}
}
