package connections

import (
	"context"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
)

// versioner is a target that can name its server (crm/postgres does).
type versioner interface {
	ServerVersion(ctx context.Context) (string, error)
}

// Test logs in for real — crm.Open, Ping, count the objects, read the
// server's version — and reports how it went and how long it took. A wrong
// password, an unreachable host or a missing database come back as
// Result{OK: false} with the crm error's code and message; only an unknown
// name or an unreadable spec is an error.
func (s *Service) Test(ctx context.Context, name string) (Result, error) {
	spec, err := s.Resolve(ctx, name)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	res := s.login(ctx, spec)
	res.Millis = time.Since(start).Milliseconds()
	if ctx.Err() != nil && !res.OK {
		return res, apperr.Wrap(ctx.Err(), apperr.Canceled, "the connection test was canceled")
	}
	return res, nil
}

func (s *Service) login(ctx context.Context, spec crm.Spec) Result {
	fail := func(err error) Result {
		return Result{Code: apperr.CodeOf(err), Message: apperr.MessageOf(err)}
	}
	t, err := s.open(ctx, spec)
	if err != nil {
		return fail(err)
	}
	defer t.Close()
	if err := t.Ping(ctx); err != nil {
		return fail(err)
	}
	objs, err := t.Objects(ctx)
	if err != nil {
		return fail(err)
	}
	res := Result{OK: true, Target: t.Describe(), Objects: len(objs)}
	if v, ok := t.(versioner); ok {
		if res.ServerVersion, err = v.ServerVersion(ctx); err != nil {
			return fail(err)
		}
	}
	res.Message = "connected to " + res.Target
	if res.ServerVersion != "" {
		res.Message += " (" + res.ServerVersion + ")"
	}
	return res
}

// VerifyPassword is the delete feature's password check: a fresh login to
// the connection's server with password — the one the user typed, not the
// saved one. nil means the server accepted it; a wrong password gives
// AuthFailed, an unreachable server Unavailable. The sandbox has no password
// and always passes. On a server that trusts every login (pg_hba "trust"),
// every password passes: the check is the server's.
func (s *Service) VerifyPassword(ctx context.Context, name, password string) error {
	spec, err := s.Resolve(ctx, name)
	if err != nil {
		return err
	}
	if spec.Kind == crm.KindSandbox {
		return nil
	}
	if password == "" {
		return apperr.New(apperr.AuthFailed, "type the password of connection %q", name)
	}
	spec.Password = password
	t, err := s.open(ctx, spec)
	if err != nil {
		return err
	}
	return t.Close()
}
