package crm

import (
	"context"
	"os"
	"path/filepath"

	"batchdesk/backend/appdir"
	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
)

// SystemUserID is the fixed id of the built-in user System (table users):
// the actor of every audit-log entry Batchdesk writes and the default owner,
// creator and modifier of imported records.
const SystemUserID = crmdb.SystemUserID

// Open opens the CRM named by spec. A PostgreSQL target is a
// *postgres.Target (Pool, Schema), a sandbox a *sandbox.Target (DB). The
// built-in sandbox, or a sandbox file that does not exist yet, is created
// with the demo CRM installed (first start).
//
// Errors are *apperr.Error: Invalid (bad spec or URL), AuthFailed (wrong user
// name or password), Unavailable (server unreachable, database missing,
// sandbox file unusable).
func Open(ctx context.Context, spec Spec) (Target, error) {
	switch spec.Kind {
	case KindPostgres:
		return postgres.Open(ctx, spec.DSN, spec.Password)
	case KindSandbox:
		path := spec.Path
		if spec.Name != "" {
			p, err := SandboxCopyPath(spec.Name)
			if err != nil {
				return nil, err
			}
			if _, err := os.Stat(p); err != nil {
				return nil, apperr.Wrap(err, apperr.NotFound,
					"there is no sandbox copy named %q (make one with: batchdesk sandbox create %s --from C)", spec.Name, spec.Name)
			}
			path = p
		}
		if path == "" {
			p, err := appdir.SandboxPath()
			if err != nil {
				return nil, apperr.Wrap(err, apperr.Unavailable, "cannot locate the sandbox: %v", err)
			}
			path = p
		}
		return sandbox.Open(ctx, path)
	}
	return nil, apperr.New(apperr.Invalid, "unknown CRM kind %q", spec.Kind)
}

// SandboxCopyPath is the file of the sandbox copy NAME:
// <data folder>/sandboxes/NAME.db (the folder is created if needed).
func SandboxCopyPath(name string) (string, error) {
	if !ValidSandboxName(name) {
		return "", apperr.New(apperr.Invalid, "%q cannot name a sandbox copy: use 1 to 64 letters, digits, '_', '-' or '.'", clipName(name))
	}
	dir, err := appdir.Sub(SandboxesDir)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Unavailable, "cannot locate the sandboxes folder: %v", err)
	}
	return filepath.Join(dir, name+".db"), nil
}

func clipName(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:64]) + "…"
	}
	return s
}

// InstallDemo installs the demo CRM of DESIGN §2 into t (schema crm on
// PostgreSQL). Running it again changes nothing.
func InstallDemo(ctx context.Context, t Target) error {
	d, ok := t.(interface{ InstallDemo(context.Context) error })
	if !ok {
		return apperr.New(apperr.Invalid, "%s cannot hold the demo CRM", t.Describe())
	}
	return d.InstallDemo(ctx)
}

// ServerVersion returns the database software and version of t, e.g.
// "PostgreSQL 15.20" or "SQLite 3.50.4".
func ServerVersion(ctx context.Context, t Target) (string, error) {
	v, ok := t.(interface {
		ServerVersion(context.Context) (string, error)
	})
	if !ok {
		return "", apperr.New(apperr.Invalid, "%s has no version", t.Describe())
	}
	return v.ServerVersion(ctx)
}

// VerifyPassword checks a CRM password by a fresh login (the delete
// confirmation of DESIGN §1). It returns nil or an *apperr.Error with code
// AuthFailed. A sandbox has no password: it always returns nil there, and the
// typed object name is the only confirmation.
func VerifyPassword(ctx context.Context, t Target, password string) error {
	if p, ok := t.(*postgres.Target); ok {
		return p.VerifyPassword(ctx, password)
	}
	return nil
}
