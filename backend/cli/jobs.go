package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

func init() { register(newJobsCmd) }

func newJobsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jobs list [--json] | show ID [--json] | resume ID | restart ID [--failed-only] | cancel ID | restore ID",
		Short: "List, show, resume, restart, cancel or restore jobs in the history",
		Long: `The job history: every import, export and delete, newest first.

A job left running by a crash or a kill is shown as interrupted. "resume"
continues an interrupted, canceled or failed import where it stopped (no row
lost, none written twice); "restart" runs its rows again as a new job, or with
--failed-only imports its error report. A restart of a job that wrote some
rows already continues it from where it stopped instead; of a finished insert
it is refused (use --failed-only), so no row is ever written twice. "restore"
brings back the records of a delete job from its backup. "cancel" stops a job running in
another Batchdesk process (it stops within a second, between batches).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return apperr.New(apperr.Invalid, "jobs: give a subcommand: list, show, resume, restart or cancel (see 'batchdesk jobs --help')")
		},
	}
	cmd.AddCommand(newJobsListCmd(env), newJobsShowCmd(env), newJobsCancelCmd(env),
		newJobsResumeCmd(env), newJobsRestartCmd(env), newJobsRestoreCmd(env))
	return cmd
}

// registry opens the workspace and the job registry over its store, after
// marking jobs whose process is gone as interrupted.
func registry(env *Env, cmd *cobra.Command, em jobs.Emitter) (*workspace.Workspace, *jobs.Registry, error) {
	ws, err := env.workspace()
	if err != nil {
		return nil, nil, err
	}
	r := jobs.New(ws.Store, em, jobs.Options{})
	if _, err := r.Recover(cmd.Context()); err != nil {
		return nil, nil, fmt.Errorf("check for interrupted jobs: %w", err)
	}
	return ws, r, nil
}

// withRegistry makes a command body that opens the job registry first (see
// registry), for the subcommands that only read or cancel jobs.
func withRegistry(env *Env, run func(cmd *cobra.Command, args []string, r *jobs.Registry) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		_, r, err := registry(env, cmd, nil)
		if err != nil {
			return err
		}
		return run(cmd, args, r)
	}
}

// jobView is a job as `jobs list --json` and `jobs show --json` print it.
type jobView struct {
	JobID      string `json:"jobId"`
	Kind       string `json:"kind"`
	Status     string `json:"status"`
	Connection string `json:"connection"`
	Object     string `json:"object"`
	Total      int64  `json:"total"`
	Succeeded  int64  `json:"succeeded"`
	Failed     int64  `json:"failed"`
	Added      int64  `json:"added"`   // of an import's succeeded: records inserted
	Updated    int64  `json:"updated"` // of an import's succeeded: records updated
	// Upsert: an import that adds and updates (text output splits
	// Succeeded into Added and Updated).
	Upsert      bool            `json:"-"`
	SuccessRate *float64        `json:"successRate"`
	CreatedAt   string          `json:"createdAt"`
	StartedAt   *string         `json:"startedAt"`
	FinishedAt  *string         `json:"finishedAt"`
	Seconds     float64         `json:"seconds"`
	RowsPerSec  float64         `json:"rowsPerSec"`
	ErrorsFile  *string         `json:"errorsFile"`
	ErrorsFiles []reportView    `json:"errorsFiles"`
	Message     string          `json:"message"`
	Files       []store.JobFile `json:"files,omitempty"`
	Settings    json.RawMessage `json:"settings,omitempty"`
	Events      []eventView     `json:"events,omitempty"`
	// Schedule is the schedule run that started the job, if one did.
	Schedule *jobScheduleView `json:"schedule,omitempty"`
}

// jobScheduleView links a job to the schedule that started it.
type jobScheduleView struct {
	ID       string `json:"id"`
	Due      string `json:"due"`
	CaughtUp bool   `json:"caughtUp"`
	Manual   bool   `json:"manual"`
	Note     string `json:"note,omitempty"`
}

type eventView struct {
	At      string `json:"at"`
	Level   string `json:"level"`
	Message string `json:"message"`
}

func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// viewOf converts a job and its figures (jobs.Summarize) for printing.
func viewOf(j store.Job) jobView {
	f := jobs.Summarize(j, time.Now())
	v := jobView{JobID: j.ID, Kind: j.Kind, Status: j.Status, Connection: j.Connection, Object: j.Object,
		Total: j.Total, Succeeded: j.Succeeded, Failed: j.Failed, Added: j.Added, Updated: j.Updated, Upsert: isUpsert(j),
		CreatedAt: *rfc3339(j.CreatedAt), StartedAt: rfc3339(j.StartedAt), FinishedAt: rfc3339(j.FinishedAt),
		Seconds: f.Seconds, RowsPerSec: f.RowsPerSec, Message: j.Message, ErrorsFiles: reportsOf(j)}
	if f.HasRate {
		v.SuccessRate = &f.SuccessRate
	}
	if j.ErrorReport != "" {
		p := j.ErrorReport
		v.ErrorsFile = &p
	}
	return v
}

// isUpsert reports whether j is an import in mode upsert, as its saved
// settings say (a request's mapping, or the command line's older form).
func isUpsert(j store.Job) bool {
	if j.Kind != store.JobImport {
		return false
	}
	var set struct {
		Mode    string `json:"mode"`
		Mapping struct {
			Mode string `json:"mode"`
		} `json:"mapping"`
	}
	_ = json.Unmarshal(j.Settings, &set)
	return set.Mapping.Mode == "upsert" || set.Mode == "upsert" || j.Added > 0 && j.Updated > 0
}

func newJobsListCmd(env *Env) *cobra.Command {
	var (
		asJSON       bool
		kind, status string
		limit        int
	)
	cmd := &cobra.Command{
		Use:   "list [--json] [--kind K] [--status S] [--limit N]",
		Short: "List jobs, newest first",
		Args:  cobra.NoArgs,
		RunE: withRegistry(env, func(cmd *cobra.Command, args []string, r *jobs.Registry) error {
			list, err := r.List(cmd.Context(), jobs.Filter{Kind: kind, Status: status, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				views := make([]jobView, 0, len(list))
				for _, j := range list {
					views = append(views, viewOf(j))
				}
				return writeJSON(env, views)
			}
			return printTable(env, len(list), "No jobs yet.", "ID\tKIND\tSTATUS\tOBJECT\tTOTAL\tSUCCEEDED\tFAILED\tSTARTED\tSECONDS", func(w io.Writer, i int) {
				j := list[i]
				started := "-"
				if !j.StartedAt.IsZero() {
					started = j.StartedAt.Local().Format("2006-01-02 15:04:05")
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%.1f\n", j.ID, j.Kind, j.Status, dash(j.Object),
					j.Total, j.Succeeded, j.Failed, started, jobSeconds(j))
			})
		}),
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print a JSON array")
	f.StringVar(&kind, "kind", "", "only jobs of this kind (import, export, delete)")
	f.StringVar(&status, "status", "", "only jobs with this status")
	f.IntVar(&limit, "limit", 100, "at most this many jobs")
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newJobsShowCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID [--json]",
		Short: "Show one job: counts, timings, files, settings, error report and log",
		Args:  jobIDArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, r, err := registry(env, cmd, nil)
			if err != nil {
				return err
			}
			d, err := r.Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			v := viewOf(d.Job)
			v.Files, v.Settings = d.Files, d.Settings
			if run, ok, _ := ws.Store.RunOfJob(cmd.Context(), d.ID); ok {
				v.Schedule = &jobScheduleView{ID: run.ScheduleID, Due: *rfc3339(run.Due), CaughtUp: run.CaughtUp,
					Manual: run.Manual, Note: run.Note}
			}
			for _, e := range d.Events {
				v.Events = append(v.Events, eventView{At: *rfc3339(e.At), Level: e.Level, Message: e.Message})
			}
			if asJSON {
				return writeJSON(env, v)
			}
			printJob(env, v)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func printJob(env *Env, v jobView) {
	w := env.Stdout
	fmt.Fprintf(w, "Job:        %s\n", v.JobID)
	fmt.Fprintf(w, "Kind:       %s\n", v.Kind)
	fmt.Fprintf(w, "Status:     %s\n", v.Status)
	fmt.Fprintf(w, "CRM:        %s\n", dash(v.Connection))
	fmt.Fprintf(w, "Object:     %s\n", dash(v.Object))
	fmt.Fprintf(w, "Rows:       %d total, %d succeeded, %d failed\n", v.Total, v.Succeeded, v.Failed)
	if v.Upsert {
		fmt.Fprintf(w, "Added:      %d\n", v.Added)
		fmt.Fprintf(w, "Updated:    %d\n", v.Updated)
	}
	if v.SuccessRate != nil {
		fmt.Fprintf(w, "Success:    %.1f%%\n", *v.SuccessRate*100)
	}
	fmt.Fprintf(w, "Created:    %s\n", v.CreatedAt)
	if v.StartedAt != nil {
		fmt.Fprintf(w, "Started:    %s\n", *v.StartedAt)
	}
	if v.FinishedAt != nil {
		fmt.Fprintf(w, "Finished:   %s\n", *v.FinishedAt)
	}
	fmt.Fprintf(w, "Duration:   %.1f s (%.0f rows/s)\n", v.Seconds, v.RowsPerSec)
	for _, r := range v.ErrorsFiles {
		fmt.Fprintf(w, "Errors:     %s (%s, %d rows)\n", r.Path, r.Object, r.Rows)
	}
	if v.Message != "" {
		fmt.Fprintf(w, "Message:    %s\n", v.Message)
	}
	if sc := v.Schedule; sc != nil {
		how := "due " + sc.Due
		if sc.Manual {
			how = "run-now"
		}
		if sc.CaughtUp {
			how += ", caught up: " + sc.Note
		}
		fmt.Fprintf(w, "Schedule:   %s (%s)\n", sc.ID, how)
	}
	for _, f := range v.Files {
		if v.Kind == store.JobExport {
			fmt.Fprintf(w, "File:       %s: %d rows, %d bytes, sha256 %s, %s\n", dash(f.Name), f.Rows, f.Size, f.Fingerprint, f.Path)
			continue
		}
		fmt.Fprintf(w, "File:       %s (%d bytes, sha256 %.12s…)\n", f.Path, f.Size, f.Fingerprint)
	}
	if len(v.Settings) > 0 && string(v.Settings) != "{}" {
		fmt.Fprintf(w, "Settings:   %s\n", v.Settings)
	}
	if len(v.Events) > 0 {
		fmt.Fprintln(w, "Log:")
		for _, e := range v.Events {
			fmt.Fprintf(w, "  %s  %-5s  %s\n", e.At, e.Level, e.Message)
		}
	}
}

func newJobsCancelCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel a queued or running job (also one running in another Batchdesk process)",
		Args:  jobIDArg,
		RunE: withRegistry(env, func(cmd *cobra.Command, args []string, r *jobs.Registry) error {
			if err := r.Cancel(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Cancel requested for job %s; resume it later with: batchdesk jobs resume %s\n", args[0], args[0])
			return nil
		}),
	}
}

// jobIDArg checks that exactly one job ID is given.
func jobIDArg(cmd *cobra.Command, args []string) error {
	if len(args) == 1 && strings.TrimSpace(args[0]) != "" {
		return nil
	}
	return apperr.New(apperr.Invalid, "jobs %s: give one job ID (see 'batchdesk jobs list')", cmd.Name())
}

// printTable prints n rows under a tab-aligned header, or the empty message
// alone when there are none.
func printTable(env *Env, n int, empty, header string, row func(w io.Writer, i int)) error {
	if n == 0 {
		fmt.Fprintln(env.Stdout, empty)
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for i := 0; i < n; i++ {
		row(tw, i)
	}
	return tw.Flush()
}

// writeJSON prints v as one line of JSON.
func writeJSON(env *Env, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err = fmt.Fprintf(env.Stdout, "%s\n", b)
	return err
}

func newJobsResumeCmd(env *Env) *cobra.Command {
	var asJSON bool
	var crmFlag string
	cmd := &cobra.Command{
		Use:   "resume ID [--crm C] [--json]",
		Short: "Continue an interrupted, canceled or failed import (or delete) where it stopped",
		Long: `Resume continues an interrupted, canceled or failed import job with its saved
settings: batches already committed are skipped, so no row is lost and none
is written twice. A file that changed since the job started is refused
(use restart). A delete job resumes on exactly the records it captured when
it started. --crm gives the CRM again, e.g. with a password.`,
		Args: jobIDArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			if isDeleteJob(env, cmd, args[0]) {
				return resumeDelete(env, cmd, args[0], crmFlag, asJSON)
			}
			if handled, err := resumeExport(env, cmd, args[0], crmFlag, false, asJSON); handled {
				return err
			}
			svc, r, err := importService(env, cmd, newProgressView(env, "import"))
			if err != nil {
				return err
			}
			return runJob(env, cmd.Context(), r, asJSON, func(ctx context.Context) (string, error) {
				return args[0], svc.Resume(ctx, args[0], crmFlag)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "make the last stdout line one JSON summary")
	cmd.Flags().StringVar(&crmFlag, "crm", "", "the CRM, when the saved one needs a password again")
	return cmd
}

func newJobsRestartCmd(env *Env) *cobra.Command {
	var asJSON, failedOnly bool
	var crmFlag string
	cmd := &cobra.Command{
		Use:   "restart ID [--failed-only] [--crm C] [--json]",
		Short: "Run an import again as a new job: all rows, or only the failed ones",
		Long: `Restart runs a finished import's files again as a new job with the same
settings. With --failed-only it imports the job's error report instead (the
failing rows with their original columns; _row and _error are ignored), e.g.
after fixing them or the mapping.`,
		Args: jobIDArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			if handled, err := resumeExport(env, cmd, args[0], crmFlag, true, asJSON); handled {
				return err
			}
			svc, r, err := importService(env, cmd, newProgressView(env, "import"))
			if err != nil {
				return err
			}
			return runJob(env, cmd.Context(), r, asJSON, func(ctx context.Context) (string, error) {
				return svc.Restart(ctx, args[0], failedOnly, crmFlag)
			})
		},
	}
	cmd.Flags().BoolVar(&failedOnly, "failed-only", false, "import only the rows of the job's error report")
	cmd.Flags().BoolVar(&asJSON, "json", false, "make the last stdout line one JSON summary")
	cmd.Flags().StringVar(&crmFlag, "crm", "", "the CRM, when the saved one needs a password again")
	return cmd
}
