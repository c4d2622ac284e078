package sandboxcopy

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/connections"
	"batchdesk/backend/crm"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// Start copies the CRM from (a saved connection's name or a URL) into the
// sandbox file path as a job of reg, and returns the job's ID once it runs.
// The history has no kind of its own for copies: the job is of kind export
// and its object column says "sandbox copy NAME". The command line and the
// window both start copies here.
//
// Errors: the CRM cannot be opened, or is itself a sandbox (Invalid).
func Start(ctx context.Context, conns *connections.Service, reg *jobs.Registry, name, path, from string, opt Options) (string, error) {
	spec, err := conns.Resolve(ctx, from)
	if err != nil {
		return "", err
	}
	t, err := crm.Open(ctx, spec)
	if err != nil {
		return "", err
	}
	src, ok := t.(Source)
	if !ok {
		t.Close()
		return "", apperr.New(apperr.Invalid, "%s is a sandbox: copy its file instead (a sandbox copy is made from a CRM on PostgreSQL)", t.Describe())
	}
	opt.From = StoredFrom(from)
	j, err := reg.Create(ctx, jobs.Spec{Kind: store.JobExport, Connection: spec.String(), Object: "sandbox copy " + name,
		Settings: map[string]any{"sandbox": name, "from": opt.From, "options": opt}})
	if err != nil {
		t.Close()
		return "", err
	}
	fn := func(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
		defer t.Close()
		res, err := Create(ctx, src, path, opt, func(p Progress) {
			report(jobs.Progress{Total: p.Total, Done: p.Done, Succeeded: p.Done, Message: p.Object})
		})
		if err != nil {
			if apperr.CodeOf(err) == apperr.Canceled {
				return jobs.Outcome{Canceled: true}, nil
			}
			return jobs.Outcome{}, err
		}
		for _, n := range res.Notes {
			reg.Event(j.ID, store.LevelInfo, n)
		}
		msg := fmt.Sprintf("sandbox copy %s: %d objects, %d records (use --crm sandbox:%s)", name, len(res.Objects), res.Total, name)
		if len(res.Notes) > 0 {
			msg += "; " + strings.Join(res.Notes, "; ")
		}
		return jobs.Outcome{Total: res.Total, Succeeded: res.Total, Message: msg}, nil
	}
	if err := reg.Start(ctx, j.ID, fn); err != nil {
		t.Close()
		return "", err
	}
	return j.ID, nil
}

// StoredFrom is what a copy remembers of its source: a saved connection's
// name as is, a URL without its password.
func StoredFrom(from string) string {
	if !strings.Contains(from, "://") {
		return from
	}
	u, err := url.Parse(from)
	if err != nil {
		return ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
