package source

import (
	"errors"
	"fmt"
)

// Sentinel codes of *Error, usable with errors.Is. Each error a Reader or
// Open returns for bad input wraps exactly one of them.
var (
	// ErrTooLarge: the file is over the size limit.
	ErrTooLarge = errors.New("file too large")
	// ErrEmpty: the file has no header (0 bytes, only a byte-order mark, or
	// only blank lines).
	ErrEmpty = errors.New("empty file")
	// ErrBinary: the file holds NUL bytes or control characters that no CSV
	// file has (it is probably a spreadsheet or an archive, not CSV).
	ErrBinary = errors.New("binary data")
	// ErrEncoding: an unknown encoding name was given.
	ErrEncoding = errors.New("unknown encoding")
	// ErrDelimiter: an unusable delimiter was given.
	ErrDelimiter = errors.New("bad delimiter")
	// ErrHeader: a header name is blank or repeated.
	ErrHeader = errors.New("bad header")
	// ErrQuote: a quoted field is not closed before the end of the file
	// (file error), or a quote is misplaced inside a field (row problem).
	ErrQuote = errors.New("bad quote")
	// ErrRagged: a record has more or fewer fields than the header. It is a
	// row problem (Record.Problem), never a file error.
	ErrRagged = errors.New("wrong number of fields")
	// ErrInvalidText: a record holds bytes that are not valid in the
	// file's encoding (invalid UTF-8, an unpaired UTF-16 surrogate, a
	// broken GB18030 sequence). It is a row problem, never a file error:
	// the bytes are not replaced silently.
	ErrInvalidText = errors.New("invalid text")
	// ErrTooLong: a field, a record or the number of columns is over its
	// limit (Limits); found while reading, before the record is held.
	ErrTooLong = errors.New("too long")
	// ErrNotFile: the path is not a regular file (a folder, a named pipe, a
	// device, a socket).
	ErrNotFile = errors.New("not a regular file")
	// ErrChanged: the file changed (shrank, grew or was rewritten) while it
	// was read.
	ErrChanged = errors.New("file changed while read")
)

// Error is a positioned problem with the input file. Line is the file line
// (the header is line 1; 0 when the problem is about the whole file), Column
// the 1-based field number (0 when not about one field). Code is one of the
// sentinel errors above; Message is a sentence a consultant understands.
type Error struct {
	Line    int
	Column  int
	Code    error
	Message string
}

// Error returns the position and message.
func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

// Unwrap returns the sentinel code, so errors.Is(err, ErrQuote) works.
func (e *Error) Unwrap() error { return e.Code }

// quote quotes user data for a message: at most 100 characters of it.
func quote(s string) string {
	const max = 100
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	n := 0
	for i := range s {
		if n == max {
			return fmt.Sprintf("%q…", s[:i])
		}
		n++
	}
	return fmt.Sprintf("%q", s)
}

func newError(line, col int, code error, format string, args ...any) *Error {
	return &Error{Line: line, Column: col, Code: code, Message: fmt.Sprintf(format, args...)}
}

// humanSize formats n bytes as "12.3 MB" (1 MB = 1,048,576 bytes, the unit
// of the limit setting).
func humanSize(n int64) string {
	const mb = 1 << 20
	if n < mb/10 {
		return groupDigits(n) + " bytes"
	}
	if n%mb == 0 {
		return fmt.Sprintf("%d MB", n/mb)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/mb)
}

// groupDigits formats n with thousands separators: 104,857,600.
func groupDigits(n int64) string {
	s := fmt.Sprintf("%d", n)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
