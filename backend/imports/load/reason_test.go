package load

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestClassify: client-side encoding and protocol errors are never taken
// for a lost connection (money's "insufficient data left in message" was
// retried for 7 s, then the job interrupted on every resume).
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		want errClass
	}{
		{&pgconn.PgError{Code: "08P01", Message: "insufficient data left in message"}, classClient},
		{&pgconn.PgError{Code: "57014", Message: "COPY from stdin failed: unable to encode 2147483648 into binary format for int4"}, classClient},
		{errors.New("unable to encode 1 into binary format for money"), classClient},
		{&pgconn.PgError{Code: "57014", Message: "canceling statement due to user request"}, classOther},
		{&pgconn.PgError{Code: "08006"}, classLost},
		{&pgconn.PgError{Code: "57P01"}, classLost},
		{fmt.Errorf("copy: %w", io.ErrUnexpectedEOF), classLost},
		{&pgconn.PgError{Code: "40P01"}, classTransient},
		{&pgconn.PgError{Code: "40001"}, classTransient},
		{&pgconn.PgError{Code: "23505"}, classData},
		{&pgconn.PgError{Code: "22P02"}, classData},
		{&rowRefusal{&pgconn.PgError{Code: "42601"}}, classData},
		{&rowRefusal{&pgconn.PgError{Code: "53200"}}, classOther},
		{&pgconn.PgError{Code: "42601"}, classOther},
		{&pgconn.PgError{Code: "53200"}, classOther},
	} {
		if got := classify(c.err); got != c.want {
			t.Errorf("classify(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func TestReasonPartition(t *testing.T) {
	code, _, msg := Reason(&pgconn.PgError{Code: "23514", Message: `no partition of relation "pt" found for row`,
		Detail: "Partition key of the failing row contains (k) = (500)."})
	if code != CodeNoPartition || msg != "no partition for this value: k = 500" {
		t.Fatalf("%s %q", code, msg)
	}
	code, _, msg = Reason(&pgconn.PgError{Code: "23514", ConstraintName: "qty_check", Message: "new row violates check constraint"})
	if code != CodeCheck || msg != "value not allowed by check qty_check" {
		t.Fatalf("%s %q", code, msg)
	}
}

func TestReasonNamesCopyColumn(t *testing.T) {
	code, col, msg := Reason(&pgconn.PgError{Code: "22P02", Message: `invalid input syntax for type inet: "10.0.0.300"`,
		Where: `COPY ty_inet, line 2, column v: "10.0.0.300"`})
	if code != CodeBadValue || col != "v" || msg != `invalid value for column v: invalid input syntax for type inet: "10.0.0.300"` {
		t.Fatalf("%s %s %q", code, col, msg)
	}
}
