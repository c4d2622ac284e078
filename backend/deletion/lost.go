package deletion

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"batchdesk/backend/apperr"
	"batchdesk/backend/jobs"
)

// connectionLost reports whether err means the connection to the CRM
// failed (the server went away, the network broke, the session was
// terminated) rather than the delete being refused: the job then ends
// interrupted, and a resume continues on the captured set, skipping the
// batches the ledger holds. The same reading as the import's
// (backend/ingest/load's classify).
func connectionLost(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01–03: admin shutdown, crash
		// shutdown, cannot connect now (pg_terminate_backend is 57P01).
		return strings.HasPrefix(pe.Code, "08") && pe.Code != "08P01" ||
			pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "broken pipe") || strings.Contains(msg, "unexpected EOF")
}

// interruptOnLost makes a job that stopped on a lost connection end
// interrupted (resumable) rather than failed.
func interruptOnLost(fn jobs.Func) jobs.Func {
	return func(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
		out, err := fn(ctx, report)
		if err != nil && ctx.Err() == nil && connectionLost(err) {
			out.Interrupted = true
			out.Message = "the connection to the CRM was lost (" + apperr.MessageOf(err) + "); the batches committed before are kept"
		}
		return out, err
	}
}
