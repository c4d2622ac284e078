package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/deletion"
	"batchdesk/backend/store"
)

func init() { register(newDeleteCmd) }

// deleteFlags are the flags of `batchdesk delete` (DESIGN §4).
type deleteFlags struct {
	crm, object, where, confirm, backupTo, schedule   string
	all, dryRun, passwordStdin, skipBlocked, noBackup bool
	asJSON                                            bool
	confirmCount, maxCount                            int64
	batchSize                                         int
}

func newDeleteCmd(env *Env) *cobra.Command {
	var f deleteFlags
	cmd := &cobra.Command{
		Use: "delete --crm C --object O (--all | --where EXPR) [--dry-run] --password-stdin --confirm OBJECT\n" +
			"  [--confirm-count N] [--skip-blocked] [--no-backup] [--backup-to DEST] [--batch-size N]\n" +
			"  [--schedule SPEC [--max-count N]] [--json]",
		Short: "Delete the records of one object in bulk: preview, checks, backup, batches, restore",
		Long: `Delete removes all records of one object (--all) or those a filter selects
(--where). --dry-run prints what would go: the exact count, the detail
records that cascade with them, the lookups that are emptied, and the
references that block the delete (refused unless --skip-blocked).

The checks: --confirm with the object's API name always, and the
connection's password (--password-stdin), verified by a fresh login. A
server that checks no password (trust authentication) and the sandbox ask
for the exact count instead (--confirm-count N): Batchdesk never claims a
password was verified where none can be.

A backup export of the records and of what cascades with them is written
and checked first (reports/<jobId>/backup.zip, or --backup-to); --no-backup
switches it off knowingly. Batches of --batch-size ids (default 5000) are
each one transaction with one audit-log entry; a killed delete resumes with
'batchdesk jobs resume ID' on exactly the records captured at its start,
and 'batchdesk jobs restore ID' brings the backup back.

Exit status: 0 deleted, 1 canceled or some records blocked and skipped, 2
refused (wrong password, not confirmed, blocked, over the ceiling) or could
not run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDelete(env, cmd, &f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.crm, "crm", "", "the CRM: a PostgreSQL URL, a saved connection, sandbox or sandbox:PATH")
	fs.StringVar(&f.object, "object", "", "the object's API name (Account, Contact, …)")
	fs.BoolVar(&f.all, "all", false, "delete every record of the object")
	fs.StringVar(&f.where, "where", "", `delete the records this filter selects, e.g. "industry = 'Retail' AND employees < 10"`)
	fs.BoolVar(&f.dryRun, "dry-run", false, "print what would be deleted and change nothing")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the connection's password from the first line of stdin")
	fs.StringVar(&f.confirm, "confirm", "", "the object's API name, typed to confirm")
	fs.Int64Var(&f.confirmCount, "confirm-count", 0, "the exact count of records that go (needed where no password can be checked)")
	fs.BoolVar(&f.skipBlocked, "skip-blocked", false, "delete the records nothing refers to and report the blocked ones")
	fs.BoolVar(&f.noBackup, "no-backup", false, "do not write the backup first (recorded in the history)")
	fs.StringVar(&f.backupTo, "backup-to", "", "write the backup to this destination (a folder, oss://, ftp://, sftp:// or a saved destination) instead of reports/<jobId>/")
	fs.IntVar(&f.batchSize, "batch-size", 0, "ids per transaction (default 5000)")
	fs.StringVar(&f.schedule, "schedule", "", `run later: "once 2026-12-01T02:00", "daily 02:00", "weekly mon 02:00", "monthly 1 02:00"`)
	fs.Int64Var(&f.maxCount, "max-count", 0, "with --schedule: refuse a run matching more records (default: today's count)")
	fs.BoolVar(&f.asJSON, "json", false, "make the last stdout line one JSON summary")
	return cmd
}

func (f *deleteFlags) request() deletion.Request {
	return deletion.Request{CRM: f.crm, Object: f.object, All: f.all, Where: f.where, SkipBlocked: f.skipBlocked,
		NoBackup: f.noBackup, BackupTo: f.backupTo, BatchSize: f.batchSize, MaxCount: f.maxCount}
}

func runDelete(env *Env, cmd *cobra.Command, f *deleteFlags) error {
	if f.crm == "" || f.object == "" {
		return apperr.New(apperr.Invalid, "delete: give --crm and --object (see 'batchdesk delete --help')")
	}
	if f.all == (f.where != "") {
		return apperr.New(apperr.Invalid, "delete: give --all or --where EXPR (one of them)")
	}
	if f.maxCount != 0 && f.schedule == "" {
		return apperr.New(apperr.Invalid, "delete: --max-count goes with --schedule")
	}
	if f.batchSize < 0 {
		return apperr.New(apperr.Invalid, "delete: --batch-size must be a positive number")
	}
	ws, r, err := registry(env, cmd, newProgressView(env, "delete"))
	if err != nil {
		return err
	}
	svc := deletion.New(ws, r, deletion.Options{})
	ctx := cmd.Context()
	if f.dryRun {
		pv, err := svc.Preview(ctx, f.request())
		if err != nil {
			return err
		}
		if f.asJSON {
			return writeJSON(env, pv)
		}
		printPreview(env, pv)
		return nil
	}
	c := deletion.Confirmation{Object: f.confirm, Count: f.confirmCount}
	if f.passwordStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return apperr.New(apperr.Invalid, "delete: --password-stdin found no password on stdin")
		}
		c.Password = strings.TrimRight(line, "\r\n")
	}
	if f.schedule != "" {
		return scheduleDelete(env, ctx, svc, f, c)
	}
	id, err := svc.Start(ctx, f.request(), c)
	if err != nil {
		if id != "" && f.asJSON {
			if j, gerr := ws.Store.GetJob(context.WithoutCancel(ctx), id); gerr == nil {
				printDeleteSummary(env, svc, j, true)
			}
		}
		return err
	}
	if jobStarted != nil {
		jobStarted(id)
	}
	j, runErr := r.Wait(context.WithoutCancel(ctx), id)
	if j.ID == "" {
		return runErr
	}
	printDeleteSummary(env, svc, j, f.asJSON)
	return jobExit(j, runErr)
}

// deleteSummary is the --json line of a delete (DESIGN §4 plus backup).
type deleteSummary struct {
	JobID     string  `json:"jobId"`
	Status    string  `json:"status"`
	Total     int64   `json:"total"`
	Succeeded int64   `json:"succeeded"`
	Failed    int64   `json:"failed"`
	Backup    *string `json:"backup"`
	Seconds   float64 `json:"seconds"`
}

func printDeleteSummary(env *Env, svc *deletion.Service, j store.Job, asJSON bool) {
	s := deleteSummary{JobID: j.ID, Status: j.Status, Total: j.Total, Succeeded: j.Succeeded, Failed: j.Failed, Seconds: jobSeconds(j)}
	if b := svc.BackupOf(j.ID); b != "" {
		s.Backup = &b
	}
	if asJSON {
		b, _ := json.Marshal(s)
		fmt.Fprintf(env.Stdout, "%s\n", b)
		return
	}
	fmt.Fprintf(env.Stdout, "Job %s: %s\n", j.ID, j.Status)
	fmt.Fprintf(env.Stdout, "  %d records: %d deleted, %d not (%.1f s)\n", j.Total, j.Succeeded, j.Failed, s.Seconds)
	if j.Message != "" {
		fmt.Fprintf(env.Stdout, "  %s\n", j.Message)
	}
	if s.Backup != nil {
		fmt.Fprintf(env.Stdout, "  backup: %s (restore with: batchdesk jobs restore %s)\n", *s.Backup, j.ID)
	}
	if j.ErrorReport != "" {
		fmt.Fprintf(env.Stdout, "  not deleted: %s\n", j.ErrorReport)
	}
	if j.Status == store.StatusCanceled || j.Status == store.StatusInterrupted {
		fmt.Fprintf(env.Stdout, "  continue with: batchdesk jobs resume %s\n", j.ID)
	}
}

func printPreview(env *Env, pv deletion.Preview) {
	w := env.Stdout
	fmt.Fprintf(w, "Delete %s on %s (dry run: nothing is deleted)\n", pv.Object, pv.CRM)
	fmt.Fprintf(w, "  %d records match", pv.Matching)
	if pv.Blocked > 0 {
		fmt.Fprintf(w, ", %d of them blocked", pv.Blocked)
	}
	fmt.Fprintf(w, "; %d would go\n", pv.Total)
	for _, c := range pv.Cascades {
		fmt.Fprintf(w, "  cascades: %d %s records go with them\n", c.Rows, c.Object)
	}
	for _, e := range pv.Emptied {
		fmt.Fprintf(w, "  emptied:  %d %s records lose their %s\n", e.Rows, e.Object, strings.Join(e.Fields, ", "))
	}
	for _, b := range pv.Blocking {
		fmt.Fprintf(w, "  blocking: %d %s records refer to them by %s\n", b.Rows, b.Object, strings.Join(b.Fields, ", "))
	}
	if len(pv.BlockedIDs) > 0 {
		fmt.Fprintf(w, "  first blocked ids: %s\n", strings.Join(pv.BlockedIDs, ", "))
	}
	for _, x := range pv.Warnings {
		fmt.Fprintf(w, "  warning:  %s\n", x)
	}
	if pv.Check == deletion.CheckCount {
		fmt.Fprintf(w, "  check: %s (--confirm %s --confirm-count %d)\n", pv.CheckNote, pv.Object, pv.Total)
	} else {
		fmt.Fprintf(w, "  check: %s (--confirm %s --password-stdin)\n", pv.CheckNote, pv.Object)
	}
}

// scheduleDelete runs the checks now and saves the delete schedule with
// its ceiling; it prints the schedule (one JSON line with --json).
func scheduleDelete(env *Env, ctx context.Context, svc *deletion.Service, f *deleteFlags, c deletion.Confirmation) error {
	req := f.request()
	req.MaxCount = 0
	sc, err := svc.Schedule(ctx, req, c, f.schedule, "", f.maxCount)
	if err != nil {
		return err
	}
	var set deletion.Scheduled
	_ = json.Unmarshal(sc.JobSettings, &set)
	if f.asJSON {
		return writeJSON(env, map[string]any{"scheduleId": sc.ID, "spec": sc.Spec, "nextRun": rfc3339(sc.NextRun), "maxCount": set.MaxCount})
	}
	fmt.Fprintf(env.Stdout, "Schedule %s: %s, %s\n", sc.ID, sc.Title, sc.Spec)
	if next := rfc3339(sc.NextRun); next != nil {
		fmt.Fprintf(env.Stdout, "  next run: %s\n", *next)
	}
	fmt.Fprintf(env.Stdout, "  a run matching more than %d records refuses and deletes nothing; every run takes a backup\n", set.MaxCount)
	return nil
}

// isDeleteJob reports whether id names a delete job (resume dispatches on it).
func isDeleteJob(env *Env, cmd *cobra.Command, id string) bool {
	ws, err := env.workspace()
	if err != nil {
		return false
	}
	j, err := ws.Store.GetJob(cmd.Context(), id)
	return err == nil && j.Kind == store.JobDelete
}

// resumeDelete continues a delete job on exactly its captured records.
func resumeDelete(env *Env, cmd *cobra.Command, id, crmFlag string, asJSON bool) error {
	ws, r, err := registry(env, cmd, newProgressView(env, "delete"))
	if err != nil {
		return err
	}
	svc := deletion.New(ws, r, deletion.Options{})
	ctx := cmd.Context()
	if err := svc.Resume(ctx, id, crmFlag); err != nil {
		return err
	}
	j, runErr := r.Wait(context.WithoutCancel(ctx), id)
	if j.ID == "" {
		return runErr
	}
	printDeleteSummary(env, svc, j, asJSON)
	return jobExit(j, runErr)
}

func newJobsRestoreCmd(env *Env) *cobra.Command {
	var asJSON bool
	var crmFlag string
	cmd := &cobra.Command{
		Use:   "restore ID [--crm C] [--json]",
		Short: "Bring back the records of a delete job from its backup, with their original ids",
		Long: `Restore re-imports a delete job's backup as a new import job: masters
before details, every record with its original id and system fields,
exactly once (a killed restore resumes like any import). Each record that
cannot come back (e.g. its unique value was taken since) is in the import's
error report.`,
		Args: jobIDArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, r, err := registry(env, cmd, newProgressView(env, "restore"))
			if err != nil {
				return err
			}
			svc := deletion.New(ws, r, deletion.Options{})
			ctx := cmd.Context()
			ids, err := svc.Restore(ctx, args[0], crmFlag, jobStarted)
			if err != nil {
				return err
			}
			var last error
			for _, id := range ids {
				j, gerr := ws.Store.GetJob(context.WithoutCancel(ctx), id)
				if gerr != nil {
					return gerr
				}
				printSummary(env, j, asJSON)
				if err := jobExit(j, nil); err != nil && last == nil {
					last = err
				}
			}
			return last
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "make the last stdout line one JSON summary")
	cmd.Flags().StringVar(&crmFlag, "crm", "", "the CRM, when the saved one needs a password again")
	return cmd
}
