package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/schedule"
	"batchdesk/backend/schedule/service"
	"batchdesk/backend/store"
)

func init() { register(newSchedulerCmd) }

func newSchedulerCmd(env *Env) *cobra.Command {
	var install, uninstall bool
	cmd := &cobra.Command{
		Use:   "scheduler [--install | --uninstall]",
		Short: "Run scheduled exports and deletes in the foreground, or install that as a per-user service",
		Long: `Without flags: run due schedules until stopped (Ctrl+C or SIGTERM), one log
line per run. The window and 'batchdesk serve' run schedules too; any number
of them may run at once on one data folder, and each run still runs once.

--install writes a per-user service that runs 'batchdesk scheduler' at login
(a systemd user unit on Linux, a launchd agent on macOS, a Task Scheduler
entry on Windows) and starts it; --uninstall stops and removes it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case install && uninstall:
				return apperr.New(apperr.Invalid, "scheduler: give --install or --uninstall, not both")
			case install || uninstall:
				return runSchedulerService(env, cmd, install)
			}
			return runScheduler(env, cmd)
		},
	}
	cmd.Flags().BoolVar(&install, "install", false, "install and start the per-user scheduler service")
	cmd.Flags().BoolVar(&uninstall, "uninstall", false, "stop and remove the per-user scheduler service")
	return cmd
}

// runScheduler runs the schedule runner until the command's context ends.
func runScheduler(env *Env, cmd *cobra.Command) error {
	ctx := cmd.Context()
	ws, reg, err := registry(env, cmd, nil)
	if err != nil {
		return err
	}
	list, err := ws.Store.ListSchedules(ctx)
	if err != nil {
		return err
	}
	logf(env, "scheduler started (pid %d) on %s with %d schedules; stop with Ctrl+C", os.Getpid(), ws.Home, len(list))
	r := newRunner(ws, reg, schedule.Options{Log: func(res schedule.Result) { logf(env, "%s", runLine(res)) }})
	if err := r.Run(ctx); err != nil {
		return err
	}
	// The jobs' contexts derive from ctx, so they are stopping: let them
	// record how they ended.
	wait, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	for _, id := range reg.Running() {
		if j, _ := reg.Wait(wait, id); j.ID != "" {
			logf(env, "job %s stopped: %s", id, j.Status)
		}
	}
	logf(env, "scheduler stopped")
	return nil
}

// logf prints one time-stamped log line.
func logf(env *Env, format string, args ...any) {
	fmt.Fprintf(env.Stdout, "%s %s\n", time.Now().UTC().Format(time.RFC3339), fmt.Sprintf(format, args...))
}

// runLine is the scheduler's log line for one run.
func runLine(res schedule.Result) string {
	sc := res.Schedule
	what := sc.Kind
	if sc.Title != "" {
		what = sc.Title
	}
	due := res.Due.UTC().Format("2006-01-02 15:04 UTC")
	if spec, err := schedule.Parse(sc.Spec, sc.Zone); err == nil {
		due = spec.FormatRun(res.Due)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "schedule %s (%s) due %s: ", sc.ID, what, due)
	switch res.Outcome {
	case store.RunStarted:
		fmt.Fprintf(&b, "started job %s", res.JobID)
	case store.RunSkipped:
		b.WriteString("skipped")
	default:
		b.WriteString("failed")
		if res.JobID != "" {
			fmt.Fprintf(&b, " (job %s)", res.JobID)
		}
	}
	if res.Note != "" {
		b.WriteString("; " + res.Note)
	} else if res.Err != nil {
		b.WriteString("; " + apperr.MessageOf(res.Err))
	}
	if !res.Next.IsZero() {
		fmt.Fprintf(&b, "; next run %s", res.Next.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// runSchedulerService installs or uninstalls the per-user service.
func runSchedulerService(env *Env, cmd *cobra.Command, install bool) error {
	exe, err := os.Executable()
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "find this program's path: %v", err)
	}
	if p, err := filepath.EvalSymlinks(exe); err == nil {
		exe = p
	}
	o := service.Options{Exe: exe, Home: os.Getenv("BATCHDESK_HOME")}
	if o.Home != "" {
		if abs, err := filepath.Abs(o.Home); err == nil {
			o.Home = abs
		}
	}
	if install {
		res, err := service.Install(cmd.Context(), o)
		if err != nil {
			return err
		}
		where := res.Path
		if where == "" {
			where = "Task Scheduler"
		}
		state := "installed"
		if res.Started {
			state = "installed and started"
		}
		fmt.Fprintf(env.Stdout, "Scheduler service %s: %s\n", state, where)
		for _, n := range res.Notes {
			fmt.Fprintln(env.Stdout, n)
		}
		return nil
	}
	res, err := service.Uninstall(cmd.Context(), o)
	if err != nil {
		return err
	}
	if len(res.Notes) > 0 {
		for _, n := range res.Notes {
			fmt.Fprintln(env.Stdout, n)
		}
		return nil
	}
	fmt.Fprintf(env.Stdout, "Scheduler service removed%s\n", map[bool]string{true: ": " + res.Path, false: ""}[res.Path != ""])
	return nil
}
