package source

import (
	"bufio"
	"io"
)

// This file and decode.go hold the two byte pipelines that feed
// encoding/csv: utf8Reader (no decoding: the fast path) and decodeReader
// (any other encoding). Both
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
