package load

import (
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// errClass is what an error means for a batch.
type errClass uint8

const (
	classOther     errClass = iota // the batch cannot be written: the job stops (resumable)
	classData                      // the server refused a row's data: isolate it, a row problem
	classTransient                 // a deadlock or serialization failure: try the batch again
	classLost                      // the connection failed: try again, then interrupted
	classClient                    // this side sent something malformed: the job stops, never retried
)

// reason is how a SQLSTATE reads as a row problem.
type reason struct {
	code  string
	words func(pe *pgconn.PgError, what string) string
}

// reasons is the one table of server refusals: SQLSTATE → stable code and
// plain words. Classes 22 and 23 not listed read as CodeRejected with the
// server's message.
var reasons = map[string]reason{
	"23505": {CodeUnique, func(pe *pgconn.PgError, what string) string {
		return fmt.Sprintf("duplicate value: %s already exists (unique %s)", detailValue(pe.Detail), what)
	}},
	"23503": {CodeForeignKey, func(pe *pgconn.PgError, what string) string {
		return fmt.Sprintf("refers to a record that does not exist: %s (%s)", detailValue(pe.Detail), what)
	}},
	"23514": {CodeCheck, func(pe *pgconn.PgError, what string) string {
		return fmt.Sprintf("value not allowed by check %s", nonEmpty(pe.ConstraintName, "constraint"))
	}},
	"23502": {CodeNotNull, func(pe *pgconn.PgError, what string) string { return what + " is required but empty" }},
	"23P01": {CodeCheck, func(pe *pgconn.PgError, what string) string {
		return fmt.Sprintf("conflicts with an existing record (exclusion %s): %s", what, detailValue(pe.Detail))
	}},
	"22001": {CodeTooLong, func(pe *pgconn.PgError, what string) string { return "value too long for " + what }},
	"22026": {CodeTooLong, func(pe *pgconn.PgError, what string) string { return "wrong length for " + what + ": " + pe.Message }},
	"22003": {CodeOutOfRange, func(pe *pgconn.PgError, what string) string { return "number out of range: " + pe.Message }},
	"22008": {CodeBadValue, invalid},
	"22P02": {CodeBadValue, invalid},
	"22P03": {CodeBadValue, invalid},
	"22007": {CodeBadValue, invalid},
	"22023": {CodeBadValue, invalid},
	"22021": {CodeBadValue, invalid},
	"2200N": {CodeBadValue, invalid},
	"22P05": {CodeBadValue, invalid},
	"22000": {CodeBadValue, invalid},
	"42601": {CodeBadValue, invalid},
	"54000": {CodeTooLong, invalid},
}

func invalid(pe *pgconn.PgError, what string) string {
	if what == "a column" {
		return "invalid value: " + pe.Message
	}
	return "invalid value for " + what + ": " + pe.Message
}

// copyColumnRE finds the column of a COPY input error in its context:
// "COPY t, line 2, column v: …".
var copyColumnRE = regexp.MustCompile(`(?m)^COPY .*, line \d+, column ([^:]+):`)

// copyColumn is the column a COPY error's context names ("" when none).
func copyColumn(where string) string {
	m := copyColumnRE.FindAllStringSubmatch(where, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

// Reason translates a server rejection into a stable code and plain words
// naming the column or constraint. err is usually a *pgconn.PgError; other
// errors give CodeRejected and their text.
func Reason(err error) (code, column, message string) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return CodeRejected, "", "rejected by the server: " + err.Error()
	}
	col := pe.ColumnName
	if col == "" && (pe.Code == "23505" || pe.Code == "23503") {
		col = columnFromDetail(pe.Detail)
	}
	if col == "" {
		col = copyColumn(pe.Where)
	}
	what := "a column"
	switch {
	case col != "":
		what = "column " + col
	case pe.ConstraintName != "":
		what = "constraint " + pe.ConstraintName
	}
	if noPartition(pe) {
		return CodeNoPartition, col, "no partition for this value: " + nonEmpty(partitionKey(pe.Detail), pe.Message)
	}
	if r, ok := reasons[pe.Code]; ok {
		return r.code, col, r.words(pe, what)
	}
	return CodeRejected, col, fmt.Sprintf("rejected by the server (SQLSTATE %s): %s", pe.Code, pe.Message)
}

// noPartition: a row of a partitioned table that fits no partition (SQLSTATE
// 23514 with no constraint).
func noPartition(pe *pgconn.PgError) bool {
	return pe.Code == "23514" && pe.ConstraintName == "" && strings.HasPrefix(pe.Message, "no partition of relation")
}

// partitionKey turns "Partition key of the failing row contains (k) =
// (500)." into "k = 500".
func partitionKey(detail string) string {
	_, rest, ok := strings.Cut(detail, "contains ")
	if !ok {
		return ""
	}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), ".")
	k, v, ok := strings.Cut(rest, ") = (")
	if !ok {
		return rest
	}
	return strings.TrimPrefix(k, "(") + " = " + strings.TrimSuffix(v, ")")
}

// classify says what err means for the batch.
func classify(err error) errClass {
	if err == nil {
		return classOther
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		var rr *rowRefusal
		switch {
		case strings.HasPrefix(pe.Code, "22") || strings.HasPrefix(pe.Code, "23"):
			return classData
		case errors.As(err, &rr) && !serverTrouble(pe.Code):
			return classData
		case pe.Code == "40001" || pe.Code == "40P01":
			return classTransient
		case pe.Code == "08P01":
			// protocol_violation: the server read malformed bytes from us
			// ("insufficient data left in message"), not a lost connection.
			return classClient
		case pe.Code == "57014" && strings.HasPrefix(pe.Message, "COPY from stdin failed"):
			// The client aborted its own COPY (pgx's encode errors end up
			// here with a made-up "query canceled").
			return classClient
		case strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03":
			return classLost
		}
		return classOther
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return classLost
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "broken pipe") || strings.Contains(msg, "unexpected EOF"):
		return classLost
	case strings.Contains(msg, "unable to encode") || strings.Contains(msg, "cannot encode"):
		return classClient
	}
	return classOther
}

// rowRefusal is an error of an insert COPY that names its row: a type's
// input function may refuse a value with a code outside classes 22 and 23
// (tsvector's syntax_error 42601, program_limit_exceeded 54000 …), and it
// is still that row's problem.
type rowRefusal struct{ err error }

func (r *rowRefusal) Error() string { return r.err.Error() }
func (r *rowRefusal) Unwrap() error { return r.err }

// serverTrouble: a class of SQLSTATE about the server or the session, never
// about a row (connection, transaction rollback, resources, operator
// intervention, system and internal errors).
func serverTrouble(code string) bool {
	switch code[:2] {
	case "08", "40", "53", "55", "57", "58", "XX", "25":
		return true
	}
	return false
}

// dataError reports whether err is a rejection of the data (classes 22 and
// 23), which isolation can pin on rows; anything else aborts the batch.
func dataError(err error) bool { return classify(err) == classData }

// connectionLost reports whether err means the connection (not the data)
// failed, so the batch is worth another try.
func connectionLost(err error) bool { return classify(err) == classLost }

// detailValue turns `Key (email)=(a@b.c) already exists.` into
// `email "a@b.c"`.
func detailValue(detail string) string {
	i := strings.Index(detail, "(")
	j := strings.Index(detail, ")=(")
	if i < 0 || j < i {
		return strings.TrimSuffix(detail, ".")
	}
	rest := detail[j+3:]
	k := strings.LastIndex(rest, ")")
	if k < 0 {
		return strings.TrimSuffix(detail, ".")
	}
	return fmt.Sprintf("%s %q", detail[i+1:j], rest[:k])
}

func columnFromDetail(detail string) string {
	i := strings.Index(detail, "(")
	j := strings.Index(detail, ")=(")
	if i < 0 || j < i {
		return ""
	}
	return detail[i+1 : j]
}

func nonEmpty(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
