// Package apperr is the small coded error type that crosses the app boundary
// (Wails bindings, `batchdesk serve`, the CLI). A Code is stable and machine
// readable; Message is a sentence a consultant understands. Wrap causes with
// Err so errors.Is/As still work; Err is never shown to the user verbatim.
package apperr

import (
	"context"
	"errors"
	"fmt"
)

// Codes. Keep them stable: the frontend and tests match on them.
const (
	Invalid      = "invalid"      // bad input from the user
	NotFound     = "not_found"    // named thing does not exist
	Conflict     = "conflict"     // already exists / state does not allow it
	Unauthorized = "unauthorized" // missing or wrong token
	Forbidden    = "forbidden"    // not allowed from here (browser mode: another site, a file outside the allowed folders)
	AuthFailed   = "auth_failed"  // wrong database password
	Unavailable  = "unavailable"  // server unreachable, database missing
	TooLarge     = "too_large"    // file over the size limit
	Canceled     = "canceled"     // the user canceled
	Internal     = "internal"     // a bug: should not happen
)

// Error is an error with a stable code and a plain-language message.
type Error struct {
	Code    string
	Message string
	Err     error
	// Setting names the setting the error is about ("mode", "batchSize",
	// …; "" for none), so a front end can point at its own control or, on
	// the command line, its flag. Messages name the setting in words.
	Setting string
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error with the given code and message, keeping err as cause.
func Wrap(err error, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// For sets the setting the error is about and returns e.
func (e *Error) For(setting string) *Error {
	e.Setting = setting
	return e
}

// SettingOf returns the setting of the first *Error in err's chain ("" when
// none names one).
func SettingOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Setting
	}
	return ""
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.Canceled) {
		return Canceled
	}
	return Internal
}

// MessageOf returns the user-facing message: the *Error's message when there
// is one, otherwise err.Error().
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
