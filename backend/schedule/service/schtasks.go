package service

import (
	"context"
	"strings"
)

// taskName is the Task Scheduler entry's name.
const taskName = "Batchdesk Scheduler"

// SchtasksCreate is the schtasks command line that makes the entry: run
// `EXE scheduler` at logon, with the user's rights, replacing an older one.
// BATCHDESK_HOME cannot be set on a task, so a non-default home is passed
// through `cmd /c set … &&`.
func SchtasksCreate(o Options) []string {
	run := `"` + o.Exe + `" scheduler`
	if o.Home != "" {
		run = `cmd /c "set "BATCHDESK_HOME=` + strings.ReplaceAll(o.Home, `"`, ``) + `" && ` + run + `"`
	}
	return []string{"/Create", "/TN", taskName, "/TR", run, "/SC", "ONLOGON", "/RL", "LIMITED", "/F"}
}

func installSchtasks(ctx context.Context, o Options) (Result, error) {
	if out, err := o.run(ctx, "schtasks", SchtasksCreate(o)...); err != nil {
		return Result{}, unavailable(err, "schtasks /Create: %s", firstLine(out, err))
	}
	res := Result{}
	if _, err := o.run(ctx, "schtasks", "/Run", "/TN", taskName); err == nil {
		res.Started = true
	}
	res.Notes = append(res.Notes, `Task Scheduler runs it at every logon (task "`+taskName+`").`)
	return res, nil
}

func uninstallSchtasks(ctx context.Context, o Options) (Result, error) {
	_, _ = o.run(ctx, "schtasks", "/End", "/TN", taskName)
	if out, err := o.run(ctx, "schtasks", "/Delete", "/TN", taskName, "/F"); err != nil {
		return Result{Notes: []string{"No scheduler task was removed: " + firstLine(out, err)}}, nil
	}
	return Result{Started: true}, nil
}
