// Package service installs `batchdesk scheduler` as a per-user service, so
// schedules run while the window is closed: a systemd user unit on Linux, a
// launchd agent on macOS, a Task Scheduler entry on Windows.
//
// In: the program's path and the data folder (BATCHDESK_HOME, "" for the
// default). Out: the service file written (or the task created) and, where
// the system's service manager is reachable, the service enabled and
// started; Install says which. No secret is ever written into a service
// definition: runs look passwords up in the keyring.
//
// Errors: a file that cannot be written, or a service manager that refuses
// the service, give *apperr.Error code Unavailable with its words.
package service

import (
	"context"
	"os/exec"
	"strings"

	"batchdesk/backend/apperr"
)

// Name is the service's name everywhere.
const Name = "batchdesk-scheduler"

// Options say what to install.
type Options struct {
	Exe  string // absolute path of the batchdesk program
	Home string // BATCHDESK_HOME to run with; "" = the default data folder
	// ConfigDir is where per-user service files go ("" = the user's:
	// ~/.config on Linux, ~/Library on macOS); tests use a temp folder.
	ConfigDir string
	// Run runs a service-manager command (systemctl, launchctl, schtasks);
	// nil runs it for real. Tests record the calls instead.
	Run func(ctx context.Context, name string, args ...string) (string, error)
}

// Result says what Install or Uninstall did.
type Result struct {
	Path    string   // the service file written or removed ("" for Task Scheduler)
	Started bool     // the service manager enabled and started it
	Notes   []string // what the user should know, one sentence each
}

func (o Options) run(ctx context.Context, name string, args ...string) (string, error) {
	if o.Run != nil {
		return o.Run(ctx, name, args...)
	}
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func unavailable(err error, format string, args ...any) error {
	return apperr.Wrap(err, apperr.Unavailable, format, args...)
}
