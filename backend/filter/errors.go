package filter

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"batchdesk/backend/apperr"
)

// Sentinel codes of *Error, usable with errors.Is.
var (
	// ErrSyntax: the text is not a filter (unclosed quote, missing value,
	// trailing garbage, unbalanced parentheses).
	ErrSyntax = errors.New("filter syntax error")
	// ErrField: the field is not one of the object's, or cannot be filtered.
	ErrField = errors.New("unknown field")
	// ErrOperator: the operator does not apply to the field's type (LIKE on a
	// number, < on a boolean).
	ErrOperator = errors.New("operator not allowed")
	// ErrValue: the value does not fit the field's type (a date compared
	// with text, a number that does not parse, a picklist value that is no
	// option, an empty IN list).
	ErrValue = errors.New("bad value")
	// ErrLimit: the filter is too long or nested too deeply.
	ErrLimit = errors.New("filter too large")
)

// Limits of a filter.
const (
	// MaxLength is the longest filter text accepted, in bytes.
	MaxLength = 64 << 10
	// MaxDepth is the deepest nesting of parentheses and NOT accepted.
	MaxDepth = 32
	// maxNumber is the longest number literal accepted, in characters.
	maxNumber = 100
)

// Error is a positioned problem with a filter. Offset is the 0-based byte
// offset in the text, Line and Column (in characters) are 1-based; all three
// are 0 for the JSON form, where Path names the node instead
// ("and[1].value"). Code is one of the sentinel errors above; Message is a
// sentence a consultant understands.
type Error struct {
	Offset  int
	Line    int
	Column  int
	Path    string
	Code    error
	Message string
}

// Error returns the position and message.
func (e *Error) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("filter, line %d, column %d: %s", e.Line, e.Column, e.Message)
	case e.Path != "":
		return fmt.Sprintf("filter, at %s: %s", e.Path, e.Message)
	}
	return "filter: " + e.Message
}

// Unwrap returns the sentinel code and an *apperr.Error with code Invalid,
// so both errors.Is(err, ErrValue) and apperr.CodeOf(err) work.
func (e *Error) Unwrap() []error {
	return []error{e.Code, &apperr.Error{Code: apperr.Invalid, Message: e.Error()}}
}

// errAt makes an *Error at byte offset off of text.
func errAt(text string, off int, code error, format string, args ...any) *Error {
	if off > len(text) {
		off = len(text)
	}
	line, col := 1, 1
	for _, r := range text[:off] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &Error{Offset: off, Line: line, Column: col, Code: code, Message: fmt.Sprintf(format, args...)}
}

// clip quotes at most 100 characters of user data for a message.
func clip(s string) string {
	const max = 100
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// GetPath returns e.Path, or "" for a nil *Error.
func (e *Error) GetPath() string {
	if e == nil {
		return ""
	}
	return e.Path
}
