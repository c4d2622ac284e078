package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/jobs"
	"batchdesk/backend/launchers"
	"batchdesk/backend/schedule"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

func init() { register(newSchedulesCmd) }

func newSchedulesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schedules list [--json] | show ID [--json] | pause ID | resume ID | run-now ID | remove ID",
		Short: "List, show, pause, resume, run or remove scheduled exports and deletes",
		Long: `Schedules are made with --schedule SPEC on export (and delete). They run
while the window, 'batchdesk serve' or 'batchdesk scheduler' runs; a run
missed while the computer was off runs once when it is back, marked caught up.

SPEC: "once 2026-12-01T02:00", "daily 02:00", "weekly mon,thu 02:00",
"monthly 1 02:00", each optionally followed by an IANA zone (Asia/Shanghai);
without one, the computer's zone, kept by name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return apperr.New(apperr.Invalid, "schedules: give a subcommand: list, show, pause, resume, run-now or remove (see 'batchdesk schedules --help')")
		},
	}
	cmd.AddCommand(newSchedulesListCmd(env), newSchedulesShowCmd(env), newSchedulesPauseCmd(env),
		newSchedulesResumeCmd(env), newSchedulesRunNowCmd(env), newSchedulesRemoveCmd(env))
	return cmd
}

// scheduleView is a schedule as `schedules list --json` and `show --json`
// print it.
type scheduleView struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Spec      string    `json:"spec"`
	Zone      string    `json:"zone"`
	Words     string    `json:"words"`
	WordsZh   string    `json:"wordsZh"`
	State     string    `json:"state"` // active, paused or finished
	NextRun   *string   `json:"nextRun"`
	LastRun   *string   `json:"lastRun"`
	CreatedAt string    `json:"createdAt"`
	Upcoming  []string  `json:"upcoming,omitempty"`
	Runs      []runView `json:"runs,omitempty"`
}

type runView struct {
	Due       string `json:"due"`
	ClaimedAt string `json:"claimedAt"`
	Outcome   string `json:"outcome"`
	JobID     string `json:"jobId,omitempty"`
	JobStatus string `json:"jobStatus,omitempty"`
	CaughtUp  bool   `json:"caughtUp"`
	Manual    bool   `json:"manual"`
	Note      string `json:"note,omitempty"`
	Runner    string `json:"runner,omitempty"`
}

func scheduleViewOf(sc store.Schedule) (scheduleView, schedule.Spec) {
	v := scheduleView{ID: sc.ID, Kind: sc.Kind, Title: sc.Title, Spec: sc.Spec, Zone: sc.Zone, Words: sc.Spec,
		WordsZh: sc.Spec, NextRun: rfc3339(sc.NextRun), LastRun: rfc3339(sc.LastRun), CreatedAt: *rfc3339(sc.CreatedAt)}
	spec, err := schedule.Parse(sc.Spec, sc.Zone)
	if err == nil {
		v.Words, v.WordsZh = spec.Describe("en"), spec.Describe("zh")
	}
	switch {
	case !sc.Enabled:
		v.State = "paused"
	case sc.NextRun.IsZero():
		v.State = "finished"
	default:
		v.State = "active"
	}
	return v, spec
}

func newSchedulesListCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List schedules, soonest next run first",
		Args:  cobra.NoArgs,
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			list, err := ws.Store.ListSchedules(cmd.Context())
			if err != nil {
				return err
			}
			lang, _ := ws.Store.Language(cmd.Context())
			views := make([]scheduleView, 0, len(list))
			specs := make([]schedule.Spec, 0, len(list))
			for _, sc := range list {
				v, spec := scheduleViewOf(sc)
				views, specs = append(views, v), append(specs, spec)
			}
			if asJSON {
				return writeJSON(env, views)
			}
			return printTable(env, len(views), "No schedules yet (make one with: batchdesk export … --schedule SPEC).",
				"ID\tKIND\tSTATE\tNEXT RUN\tWHEN\tWHAT", func(w io.Writer, i int) {
					v, sc := views[i], list[i]
					next := "-"
					if !sc.NextRun.IsZero() && sc.Enabled {
						next = specs[i].FormatRun(sc.NextRun)
					}
					words := v.Words
					if lang == "zh" {
						words = v.WordsZh
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Kind, v.State, next, words, dash(v.Title))
				})
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func newSchedulesShowCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID [--json]",
		Short: "Show a schedule in words, its next five runs and its last runs",
		Args:  scheduleIDArg,
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			ctx := cmd.Context()
			d, err := schedule.Show(ctx, ws.Store, args[0], "en", time.Now().Round(0), 5)
			if err != nil {
				return err
			}
			v, spec := scheduleViewOf(d.Schedule)
			for _, t := range d.Upcoming {
				v.Upcoming = append(v.Upcoming, *rfc3339(t))
			}
			for _, r := range d.Runs {
				rv := runView{Due: *rfc3339(r.Due), ClaimedAt: *rfc3339(r.ClaimedAt), Outcome: r.Outcome, JobID: r.JobID,
					CaughtUp: r.CaughtUp, Manual: r.Manual, Note: r.Note, Runner: r.Runner}
				if r.JobID != "" {
					if j, err := ws.Store.GetJob(ctx, r.JobID); err == nil {
						rv.JobStatus = j.Status
					}
				}
				v.Runs = append(v.Runs, rv)
			}
			if asJSON {
				return writeJSON(env, v)
			}
			printSchedule(env.Stdout, v, spec, d)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func printSchedule(w io.Writer, v scheduleView, spec schedule.Spec, d schedule.View) {
	fmt.Fprintf(w, "Schedule:   %s\n", v.ID)
	fmt.Fprintf(w, "Kind:       %s\n", v.Kind)
	if v.Title != "" {
		fmt.Fprintf(w, "What:       %s\n", v.Title)
	}
	fmt.Fprintf(w, "Spec:       %s\n", v.Spec)
	fmt.Fprintf(w, "When:       %s\n", v.Words)
	fmt.Fprintf(w, "            %s\n", v.WordsZh)
	fmt.Fprintf(w, "State:      %s\n", v.State)
	if len(d.Upcoming) == 0 {
		fmt.Fprintln(w, "Next runs:  none")
	} else {
		fmt.Fprintln(w, "Next runs:")
		for _, t := range d.Upcoming {
			fmt.Fprintf(w, "  %s  (%s UTC)\n", spec.FormatRun(t), t.UTC().Format("2006-01-02 15:04"))
		}
	}
	if len(v.Runs) == 0 {
		fmt.Fprintln(w, "Last run:   never ran")
		return
	}
	fmt.Fprintln(w, "Last runs (newest first):")
	for _, r := range v.Runs {
		line := "  " + r.ClaimedAt + "  " + r.Outcome
		if r.JobID != "" {
			line += " job " + r.JobID
			if r.JobStatus != "" {
				line += " (" + r.JobStatus + ")"
			}
		}
		if r.Manual {
			line += ", run-now"
		}
		if r.CaughtUp {
			line += ", caught up"
		}
		if r.Note != "" {
			line += ": " + r.Note
		}
		fmt.Fprintln(w, line)
	}
}

func newSchedulesPauseCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "pause ID",
		Short: "Stop a schedule from running until resumed",
		Args:  scheduleIDArg,
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			if err := schedule.Pause(cmd.Context(), ws.Store, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Paused schedule %s; resume it with: batchdesk schedules resume %s\n", args[0], args[0])
			return nil
		}),
	}
}

func newSchedulesResumeCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "resume ID",
		Short: "Let a paused schedule run again, from its next time (missed runs are not caught up)",
		Args:  scheduleIDArg,
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			next, err := schedule.Resume(cmd.Context(), ws.Store, args[0], time.Now().Round(0))
			if err != nil {
				return err
			}
			sc, err := ws.Store.GetSchedule(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			_, spec := scheduleViewOf(sc)
			fmt.Fprintf(env.Stdout, "Resumed schedule %s; next run %s\n", args[0], spec.FormatRun(next))
			return nil
		}),
	}
}

func newSchedulesRemoveCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ID",
		Short: "Remove a schedule (its past jobs stay in the history)",
		Args:  scheduleIDArg,
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			if err := ws.Store.DeleteSchedule(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Removed schedule %s\n", args[0])
			return nil
		}),
	}
}

func newSchedulesRunNowCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "run-now ID [--json]",
		Short: "Run a schedule's job now, in this process, and wait for it (its next run stays as it is)",
		Args:  scheduleIDArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, reg, err := registry(env, cmd, newProgressView(env, "run"))
			if err != nil {
				return err
			}
			r := newRunner(ws, reg, schedule.Options{})
			return runJob(env, cmd.Context(), reg, asJSON, func(ctx context.Context) (string, error) {
				res, err := r.RunNow(ctx, args[0])
				if err != nil {
					return "", err
				}
				if !asJSON {
					fmt.Fprintf(env.Stdout, "Started job %s for schedule %s\n", res.JobID, args[0])
				}
				return res.JobID, nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "make the last stdout line one JSON summary")
	return cmd
}

// scheduleIDArg checks that exactly one schedule ID is given.
func scheduleIDArg(cmd *cobra.Command, args []string) error {
	if len(args) == 1 && strings.TrimSpace(args[0]) != "" {
		return nil
	}
	return apperr.New(apperr.Invalid, "schedules %s: give one schedule ID (see 'batchdesk schedules list')", cmd.Name())
}

// newRunner builds the schedule runner over the workspace's store, with the
// launchers of every kind, starting jobs in reg.
func newRunner(ws *workspace.Workspace, reg *jobs.Registry, opt schedule.Options) *schedule.Runner {
	return schedule.NewRunner(ws.Store, launchers.For(ws, reg), reg, opt)
}
