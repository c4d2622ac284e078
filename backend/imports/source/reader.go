package source

import (
	"encoding/binary"
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
// It reads straight into the caller's buffer (encoding/csv's bufio.Reader)
// and checks the bytes there, eight at a time: no copy of the text.
type utf8Reader struct {
	src     io.Reader
	base    int64 // file offset of the first byte read
	pos     int64 // bytes returned so far
	err     error
	eof     bool
	pend    byte // a byte read ahead (after a CR that ended a read)
	hasPend bool
}

func newUTF8Reader(r io.Reader, base int64) *utf8Reader {
	return &utf8Reader{src: r, base: base}
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

func (r *utf8Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n := 0
	if r.hasPend {
		p[0], n, r.hasPend = r.pend, 1, false
	}
	var err error
	if n == 0 {
		if r.err != nil {
			return 0, r.err
		}
		for n == 0 && err == nil {
			n, err = r.src.Read(p)
		}
		if err == io.EOF {
			r.eof = true
		}
		r.err = err
	}
	for i := 0; i < n; {
		// Eight bytes at a time while none is below 0x20.
		if i+8 <= n {
			x := binary.LittleEndian.Uint64(p[i:])
			if (x-0x20*ones)&^x&highs == 0 {
				i += 8
				continue
			}
		}
		for end := min(i+8, n); i < end; i++ {
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
				} else if next, ok := r.peek(); !ok || next != '\n' {
					p[i] = '\n'
				}
			default:
				r.err = &binaryError{rawOffset: r.base + r.pos + int64(i), char: rune(c)}
				r.hasPend = false
				r.pos += int64(i)
				return i, r.err
			}
		}
	}
	r.pos += int64(n)
	return n, nil // an error of src comes with the next call
}

// peek reads the byte after the last one read and holds it for the next
// Read; ok is false at the end of the file (or on an error, kept).
func (r *utf8Reader) peek() (byte, bool) {
	if r.err != nil {
		return 0, false
	}
	var one [1]byte
	for {
		n, err := r.src.Read(one[:])
		if n == 1 {
			r.pend, r.hasPend = one[0], true
			if err != nil {
				r.err = err
				r.eof = err == io.EOF
			}
			return one[0], true
		}
		if err != nil {
			r.err = err
			r.eof = err == io.EOF
			return 0, false
		}
	}
}

func (r *utf8Reader) atEOF() bool { return r.eof && !r.hasPend }

func (r *utf8Reader) fileOffset(t int64) int64 { return r.base + t }
