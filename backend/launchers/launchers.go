// Package launchers says which job each kind of schedule starts: one
// schedule.Launcher per kind (export, delete), built over the app's
// workspace and job registry. The window, `batchdesk serve` and
// `batchdesk scheduler` all take their launchers from For, so a kind added
// here runs everywhere.
//
// In: the open workspace and the registry the jobs run in. Out: a
// schedule.Launchers map. Errors are the launchers' own, at run time: a
// schedule whose settings cannot be read gives code Invalid; the kind's
// service returns the rest (no connection, a missing password or key, a
// destination that cannot be opened) before its job exists, and the runner
// records them as a failed job of the schedule.
package launchers

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/deletion"
	"batchdesk/backend/destinations"
	"batchdesk/backend/export"
	"batchdesk/backend/jobs"
	"batchdesk/backend/schedule"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// For returns the launchers of every kind this build can run.
func For(ws *workspace.Workspace, reg *jobs.Registry) schedule.Launchers {
	return schedule.Launchers{
		store.JobExport: Export(export.NewService(ws, reg, nil)),
		store.JobDelete: deletion.New(ws, reg, deletion.Options{}).Launcher(),
	}
}

// Export starts a scheduled export from its saved export.Settings.
func Export(svc *export.Service) schedule.Launcher {
	return schedule.LauncherFunc(func(ctx context.Context, sc store.Schedule, run schedule.RunInfo) (string, error) {
		var set export.Settings
		if err := json.Unmarshal(sc.JobSettings, &set); err != nil || set.Destination == "" {
			return "", apperr.New(apperr.Invalid, "schedule %s has no export settings that this Batchdesk can read", sc.ID)
		}
		if err := ftpPassword(set.Destination); err != nil {
			return "", err
		}
		return svc.StartSettings(ctx, set, "")
	})
}

// ftpPassword says clearly that a scheduled run to an FTP URL (not a saved
// destination) has no password: the schedule never stores one, so it must
// come from the environment of the process that runs it.
func ftpPassword(dest string) error {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil || !strings.EqualFold(u.Scheme, "ftp") || u.User == nil {
		return nil
	}
	if user := u.User.Username(); user == "" || strings.EqualFold(user, "anonymous") || strings.EqualFold(user, "ftp") {
		return nil
	}
	if os.Getenv(destinations.EnvFTPPassword) != "" {
		return nil
	}
	return apperr.New(apperr.AuthFailed, "no password for %s: a schedule keeps no password, so set %s for the process that runs it, or save the destination (batchdesk destinations add NAME URL) and schedule it by name",
		u.Redacted(), destinations.EnvFTPPassword)
}
