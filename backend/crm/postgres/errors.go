package postgres

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"batchdesk/backend/apperr"
)

// hostPort names the server as host:port (the socket folder for a Unix socket).
func hostPort(c *pgx.ConnConfig) string {
	if strings.HasPrefix(c.Host, "/") {
		return c.Host
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port)))
}

// classify turns a failed connection attempt into an *apperr.Error whose
// message names the server and never a password.
func classify(err error, c *pgx.ConnConfig, password string) error {
	where := hostPort(c)
	secrets := []string{password, c.Password, os.Getenv("PGPASSWORD")}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01", "28000":
			return apperr.Wrap(err, apperr.AuthFailed, "wrong user name or password for %s@%s", c.User, where)
		case "3D000":
			// The server answered: a missing database is not an unreachable
			// server, and the person must fix the name, not the network.
			return apperr.Wrap(err, apperr.NotFound, "the server %s answered, but it has no database %s: check the database name", where, c.Database)
		case "42501":
			return apperr.Wrap(err, apperr.AuthFailed, "user %s may not connect to database %s on %s", c.User, c.Database, where)
		}
		return apperr.Wrap(err, apperr.Unavailable, "%s refused the connection: %s (SQLSTATE %s)",
			where, scrub(pgErr.Message, secrets), pgErr.Code)
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return apperr.Wrap(err, apperr.Unavailable, "cannot reach %s: timed out", where)
	}
	if errors.Is(err, context.Canceled) {
		return apperr.Wrap(err, apperr.Canceled, "connecting to %s was canceled", where)
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot reach %s: %s", where, scrub(cause(err), secrets))
}

// cause is the most specific message in err's chain: the network operation's
// own error ("connect: connection refused") or the innermost error.
func cause(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return "unknown host " + dns.Name
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// invalidDSN reports a connection string pgx could not parse.
func invalidDSN(err error, dsn, password string) error {
	secrets := []string{password, os.Getenv("PGPASSWORD")}
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw)
		}
	}
	reason := "cannot be parsed"
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		// Its text is "cannot parse `<redacted dsn>`: reason (cause)"; keep the reason.
		msg := pe.Error()
		if i := strings.LastIndex(msg, "`: "); i >= 0 {
			reason = msg[i+3:]
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			reason = ue.Err.Error()
		}
	}
	return apperr.Wrap(err, apperr.Invalid, "invalid PostgreSQL connection URL: %s", scrub(reason, secrets))
}

// scrub masks every non-empty secret in msg.
func scrub(msg string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}

// VerifyPassword checks password by a fresh login as the target's user (no
// pooled connection is reused). It returns nil, or an *apperr.Error with code
// AuthFailed for a wrong password (Unavailable when the server cannot be
// reached).
func (t *Target) VerifyPassword(ctx context.Context, password string) error {
	cfg := t.pool.Config().ConnConfig.Copy()
	cfg.Password = password
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return classify(err, cfg, password)
	}
	_ = conn.Close(ctx)
	return nil
}
