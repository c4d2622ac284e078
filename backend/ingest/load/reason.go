package load

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Reason translates a server rejection into a stable code and plain words
// naming the column or constraint. err is usually a *pgconn.PgError; other
// errors give CodeRejected and their text.
func Reason(err error) (code, column, message string) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return CodeRejected, "", "rejected by the server: " + err.Error()
	}
	col := pe.ColumnName
	what := func() string {
		if col != "" {
			return "column " + col
		}
		if pe.ConstraintName != "" {
			return "constraint " + pe.ConstraintName
		}
		return "a column"
	}
	switch pe.Code {
	case "23505":
		if col == "" {
			col = columnFromDetail(pe.Detail)
		}
		return CodeUnique, col, fmt.Sprintf("duplicate value: %s already exists (unique %s)", detailValue(pe.Detail), what())
	case "23503":
		if col == "" {
			col = columnFromDetail(pe.Detail)
		}
		return CodeForeignKey, col, fmt.Sprintf("refers to a record that does not exist: %s (%s)", detailValue(pe.Detail), what())
	case "23514":
		return CodeCheck, col, fmt.Sprintf("value not allowed by check %s", nonEmpty(pe.ConstraintName, "constraint"))
	case "23502":
		return CodeNotNull, col, fmt.Sprintf("%s is required but empty", what())
	case "22001":
		return CodeTooLong, col, "value too long for " + what()
	case "22P02", "22007", "22008", "22023":
		return CodeBadValue, col, "invalid value: " + pe.Message
	case "22003":
		return CodeOutOfRange, col, "number out of range: " + pe.Message
	}
	return CodeRejected, col, fmt.Sprintf("rejected by the server (SQLSTATE %s): %s", pe.Code, pe.Message)
}

// dataError reports whether err is a rejection of the data (classes 22 and
// 23), which bisection can pin on rows; anything else aborts the batch.
func dataError(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	return strings.HasPrefix(pe.Code, "22") || strings.HasPrefix(pe.Code, "23")
}

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
