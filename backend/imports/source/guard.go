package source

import (
	"encoding/binary"
	"io"
	"unicode/utf8"
)

// guard sits between the text pipeline and encoding/csv. It follows csv's
// quoting over the text, so it knows the line, the field and the record of
// every byte, and it
//   - refuses a field, a record or a column count over the limits before
//     csv has buffered them (a limitError stops the reading), so memory
//     stays bounded whatever the file holds;
//   - notes text that is not valid in the file's encoding (badText): in a
//     UTF-8 file it checks the bytes itself (no decoder ran), in a decoded
//     file the decoder marks the replacement characters it wrote for
//     invalid input (marker).
//
// Its quoting rules are csv's: a quote opens a quoted field only as the
// field's first byte; inside, "" is a quote and a lone " closes the field.
// Where csv gives up on a line (a bare quote), the guard goes on counting,
// which only makes it see more, shorter fields than csv: its limits stay
// upper bounds of what csv holds.
type guard struct {
	src       io.Reader
	marks     marker // invalid text marked by the decoder (nil: none)
	checkUTF8 bool   // the text is the file's own bytes: check they are UTF-8
	lim       Limits
	delim     rune
	delimByte byte // the delimiter's last byte (an ASCII delimiter's only one)
	stopU     [256]bool
	stopQ     [256]bool

	pos        int64 // text offset of the next byte
	line       int   // line of the next byte (1-based)
	col        int   // field number of the next byte in its record (1-based)
	fieldAt    int64 // text offset where the current field starts
	recordAt   int64 // text offset where the current record starts
	fieldLine  int
	recordLine int
	state      uint8
	quoted     bool   // the current field opened with a quote
	carry      []byte // the start of a UTF-8 sequence cut by the end of a read
	carryAt    int64
	bad        []badText
	err        error
}

// States of guard.state.
const (
	gFieldStart = iota // at the first byte of a field
	gUnquoted          // inside an unquoted field
	gQuoted            // inside a quoted field
	gQuote             // just after a quote inside a quoted field
)

// badText is a spot of text that is not valid in the file's encoding.
type badText struct {
	text      int64 // text offset
	record    int64 // text offset of its record
	line, col int
}

// marker hands the guard the text offsets, in order, of replacement
// characters that stand for invalid input.
type marker interface {
	// nextMark returns the first marked offset not yet taken (ok false
	// when none is known yet).
	nextMark() (int64, bool)
	// takeMark drops it.
	takeMark()
}

// limitError reports a field, record or column count over its limit.
type limitError struct {
	what      string // "field", "record" or "columns"
	line, col int
	limit     int64
	quoted    bool // the field is quoted (a missing closing quote is likely)
}

func (e *limitError) Error() string { return "over the " + e.what + " limit" }

func newGuard(src io.Reader, marks marker, checkUTF8 bool, lim Limits, delim rune) *guard {
	g := &guard{src: src, marks: marks, checkUTF8: checkUTF8, lim: lim.withDefaults(), delim: delim,
		line: 1, col: 1, fieldLine: 1, recordLine: 1}
	var b [4]byte
	n := utf8.EncodeRune(b[:], delim)
	g.delimByte = b[n-1]
	g.stopU['"'], g.stopU['\n'] = true, true
	g.stopQ['"'], g.stopQ['\n'] = true, true
	if delim < utf8.RuneSelf {
		g.stopU[byte(delim)] = true
	}
	if checkUTF8 || delim >= utf8.RuneSelf {
		for c := 0x80; c < 0x100; c++ {
			g.stopU[c] = true
			if checkUTF8 {
				g.stopQ[c] = true
			}
		}
	}
	return g
}

// Read reads from the text pipeline and checks what it passes on. A limit
// error comes with the bytes before the point where the limit was passed.
func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.src.Read(p)
	cut := g.scan(p[:n])
	if g.err != nil {
		return cut, g.err
	}
	if err == io.EOF && len(g.carry) > 0 {
		g.noteBad(g.carryAt)
		g.carry = g.carry[:0]
	}
	return n, err
}

// scan follows b (the text at g.pos) and returns how many of its bytes may
// be passed on: all, unless a limit was passed (g.err is then set).
func (g *guard) scan(b []byte) int {
	base := g.pos
	i := 0
	if len(g.carry) > 0 && len(b) > 0 {
		if i = g.finishCarry(b); g.err != nil {
			return g.cutAt(base, 0)
		}
	}
	for i < len(b) {
		end := len(b)
		if g.marks != nil {
			if m, ok := g.marks.nextMark(); ok && m < base+int64(end) {
				if m <= base+int64(i) {
					g.noteBad(m)
					g.marks.takeMark()
					continue
				}
				end = int(m - base)
			}
		}
		switch g.state {
		case gFieldStart, gUnquoted:
			j := g.skipU(b, i, end)
			for j < end && !g.stopU[b[j]] {
				j++
			}
			if j > i {
				g.state = gUnquoted
				i = j
			}
			if i == end {
				continue
			}
			switch c := b[i]; {
			case c == '"':
				if g.state == gFieldStart {
					g.state, g.quoted = gQuoted, true
				}
				i++
			case c == '\n':
				if g.overLimits(base + int64(i)) {
					return g.cutAt(base, i)
				}
				i++
				g.newRecord(base + int64(i))
			case c < utf8.RuneSelf:
				if g.endField(base+int64(i), base+int64(i)+1) {
					return g.cutAt(base, i)
				}
				i++
			default:
				var r rune
				at := i
				if r, i = g.rune(b, i); r == g.delim && i > at {
					if g.endField(base+int64(at), base+int64(i)) {
						return g.cutAt(base, at)
					}
					continue
				}
				g.state = gUnquoted
			}
		case gQuoted:
			j := g.skipQ(b, i, end)
			for j < end && !g.stopQ[b[j]] {
				j++
			}
			i = j
			if i == end {
				continue
			}
			switch b[i] {
			case '"':
				g.state = gQuote
				i++
			case '\n':
				g.line++
				i++
			default:
				_, i = g.rune(b, i)
			}
		case gQuote:
			if b[i] == '"' {
				g.state = gQuoted
				i++
			} else {
				g.state = gUnquoted // a closing quote: b[i] is read as unquoted
			}
		}
	}
	if g.overLimits(base + int64(len(b))) {
		return g.cutAt(base, len(b))
	}
	g.pos = base + int64(len(b))
	return len(b)
}

// Eight bytes at a time (SWAR): has(x, c) is non-zero when a byte of x is
// c; high bits stand for bytes from 0x80 up.
const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
)

func has(x uint64, c byte) uint64 {
	v := x ^ (swarOnes * uint64(c))
	return (v - swarOnes) &^ v & swarHighs
}

// skipU skips, eight bytes at a time, the bytes of b[i:end] that an
// unquoted field passes over (no delimiter, quote, line end, nor a byte
// the scan must look at); the byte loop finishes the rest.
func (g *guard) skipU(b []byte, i, end int) int {
	if g.delim >= utf8.RuneSelf {
		return i
	}
	d := byte(g.delim)
	var high uint64
	if g.checkUTF8 {
		high = swarHighs
	}
	for i+8 <= end {
		x := binary.LittleEndian.Uint64(b[i:])
		if has(x, d)|has(x, '"')|has(x, '\n')|x&high != 0 {
			break
		}
		i += 8
	}
	return i
}

// skipQ is skipU inside a quoted field (only quotes and line ends stop).
func (g *guard) skipQ(b []byte, i, end int) int {
	var high uint64
	if g.checkUTF8 {
		high = swarHighs
	}
	for i+8 <= end {
		x := binary.LittleEndian.Uint64(b[i:])
		if has(x, '"')|has(x, '\n')|x&high != 0 {
			break
		}
		i += 8
	}
	return i
}

// cutAt ends a scan on a limit error at b[i]: at most the bytes up to the
// limit are passed on.
func (g *guard) cutAt(base int64, i int) int {
	keep := g.fieldAt + g.lim.MaxFieldBytes - base
	if e, ok := g.err.(*limitError); ok && e.what != "field" {
		keep = g.recordAt + g.lim.MaxRecordBytes - base
	}
	cut := int(min(max(keep, 0), int64(i)))
	g.pos = base + int64(cut)
	return cut
}

// overLimits checks the current field and record, which reach up to the
// text offset at (excluded).
func (g *guard) overLimits(at int64) bool {
	switch {
	case at-g.fieldAt > g.lim.MaxFieldBytes:
		g.err = &limitError{what: "field", line: g.fieldLine, col: g.col, limit: g.lim.MaxFieldBytes,
			quoted: g.quoted}
	case at-g.recordAt > g.lim.MaxRecordBytes:
		g.err = &limitError{what: "record", line: g.recordLine, col: g.col, limit: g.lim.MaxRecordBytes}
	default:
		return false
	}
	return true
}

// endField ends the field at the delimiter at text offset at (next: the
// offset after it); it reports a limit passed.
func (g *guard) endField(at, next int64) bool {
	if g.overLimits(at) {
		return true
	}
	if g.col >= g.lim.MaxColumns {
		g.err = &limitError{what: "columns", line: g.recordLine, col: g.col + 1, limit: int64(g.lim.MaxColumns)}
		return true
	}
	g.col++
	g.fieldAt, g.fieldLine = next, g.line
	g.state, g.quoted = gFieldStart, false
	return false
}

// newRecord starts a record at text offset at, after a line end.
func (g *guard) newRecord(at int64) {
	g.line++
	g.col = 1
	g.fieldAt, g.recordAt = at, at
	g.fieldLine, g.recordLine = g.line, g.line
	g.state, g.quoted = gFieldStart, false
}

// rune reads the character that starts at b[i] (not ASCII) and returns it
// with the index after it. In a UTF-8 file an invalid byte is noted (and
// skipped); a character cut by the end of b is kept for the next read.
func (g *guard) rune(b []byte, i int) (rune, int) {
	// During a scan g.pos is the text offset of b[0] (it moves when the
	// scan ends).
	if !utf8.FullRune(b[i:]) {
		g.carryAt = g.pos + int64(i)
		g.carry = append(g.carry[:0], b[i:]...)
		return utf8.RuneError, len(b)
	}
	r, size := utf8.DecodeRune(b[i:])
	if r == utf8.RuneError && size == 1 && g.checkUTF8 {
		g.noteBad(g.pos + int64(i))
	}
	return r, i + size
}

// finishCarry completes a character cut by the end of the last read with
// the first bytes of b and returns where scanning b goes on.
func (g *guard) finishCarry(b []byte) int {
	var tmp [utf8.UTFMax]byte
	n := copy(tmp[:], g.carry)
	k := copy(tmp[n:], b)
	r, size := utf8.DecodeRune(tmp[:n+k])
	if !utf8.FullRune(tmp[:n+k]) && n+k < utf8.UTFMax {
		// Still cut (b is very short): keep carrying.
		g.carry = append(g.carry, b...)
		return len(b)
	}
	g.carry = g.carry[:0]
	if r == utf8.RuneError && size <= 1 {
		if g.checkUTF8 {
			g.noteBad(g.carryAt)
		}
		return 0 // the bytes of b are read again on their own
	}
	if r == g.delim && g.state != gQuoted {
		// A cut delimiter: the field ends here.
		g.endField(g.carryAt, g.pos+int64(size-n))
	}
	return size - n
}

// noteBad notes invalid text at text offset at, once per record.
func (g *guard) noteBad(at int64) {
	if k := len(g.bad); k > 0 && g.bad[k-1].record == g.recordAt {
		return
	}
	g.bad = append(g.bad, badText{text: at, record: g.recordAt, line: g.line, col: g.col})
}

// takeBad returns the first invalid spot before text offset end (the end
// of the record just read) and drops every spot before end.
func (g *guard) takeBad(end int64) (badText, bool) {
	var first badText
	found := false
	k := 0
	for k < len(g.bad) && g.bad[k].text < end {
		if !found {
			first, found = g.bad[k], true
		}
		k++
	}
	g.bad = g.bad[k:]
	return first, found
}
