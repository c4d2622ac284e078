package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"batchdesk/backend/apperr"
	"batchdesk/backend/export"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

func init() { register(newExportCmd) }

// exportFlags are the flags of export (DESIGN §4); settings turns them into
// the job's saved settings, as the window and a schedule save them.
type exportFlags struct {
	crm           string
	all           bool
	object        string
	related       bool
	fields        string
	where         string
	includeVoided bool
	withIDs       bool
	headers       string
	noBOM         bool
	excelSafe     bool
	to            string
	schedule      string
	asJSON        bool
}

// bind declares the flags on fs.
func (f *exportFlags) bind(fs *pflag.FlagSet) {
	fs.StringVar(&f.crm, "crm", "", "the CRM: a PostgreSQL URL, a saved connection, sandbox or sandbox:PATH")
	fs.BoolVar(&f.all, "all", false, "export every object, one file each, zipped")
	fs.StringVar(&f.object, "object", "", "the object to export (API or table name)")
	fs.BoolVar(&f.related, "related", false, "also export the object's detail objects, only the details of the exported records")
	fs.StringVar(&f.fields, "fields", "", "the fields to export, by API name: a,b,c (default: every field but the system fields, plus the owner)")
	fs.StringVar(&f.where, "where", "", `export only the records matching this filter, e.g. "industry = 'Retail' AND employees > 100"`)
	fs.BoolVar(&f.includeVoided, "include-voided", false, "also export voided records (life_status invalid)")
	fs.BoolVar(&f.withIDs, "with-ids", false, "add the record id column and write lookups as record IDs (for a restore)")
	fs.StringVar(&f.headers, "headers", "api", "column headers: api (API names), en or zh (labels)")
	fs.BoolVar(&f.noBOM, "no-bom", false, "write UTF-8 without the byte order mark")
	fs.BoolVar(&f.excelSafe, "excel-safe", false, "prefix text cells starting with = + - @ with ' so a spreadsheet does not run them")
	fs.StringVar(&f.to, "to", "", "where the files go: a folder, oss://bucket/prefix, ftp://user@host/dir, sftp://user@host/dir or a saved destination")
	fs.StringVar(&f.schedule, "schedule", "", `save a schedule that runs this export later instead of now: "once 2026-12-01T02:00", "daily 02:00", "weekly mon,thu 02:00", "monthly 1 02:00", optionally followed by a zone (Asia/Shanghai)`)
	fs.BoolVar(&f.asJSON, "json", false, "make the last stdout line one JSON summary")
}

// settings checks the flags that need no CRM and returns the settings.
func (f *exportFlags) settings() (export.Settings, error) {
	switch {
	case strings.TrimSpace(f.crm) == "":
		return export.Settings{}, apperr.New(apperr.Invalid, "export: give the CRM with --crm")
	case f.all == (strings.TrimSpace(f.object) != ""):
		return export.Settings{}, apperr.New(apperr.Invalid, "export: give either --all or --object O")
	case f.related && f.all:
		return export.Settings{}, apperr.New(apperr.Invalid, "export: --related goes with --object (--all exports every object)")
	case strings.TrimSpace(f.to) == "":
		return export.Settings{}, apperr.New(apperr.Invalid, "export: give the destination with --to (a folder, a URL or a saved destination)")
	}
	req := export.Request{All: f.all, Object: strings.TrimSpace(f.object), Related: f.related, Where: f.where,
		IncludeVoided: f.includeVoided, WithIDs: f.withIDs, Headers: f.headers, NoBOM: f.noBOM, ExcelSafe: f.excelSafe}
	if req.Headers == "api" {
		req.Headers = ""
	}
	for _, name := range strings.Split(f.fields, ",") {
		if name = strings.TrimSpace(name); name != "" {
			req.Fields = append(req.Fields, name)
		}
	}
	return export.Settings{CRM: f.crm, Request: req, Destination: f.to}, nil
}

func newExportCmd(env *Env) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export --crm C (--all | --object O [--related]) [flags] --to DEST",
		Short: "Export CRM objects as CSV files that import back as they are",
		Long: `Export writes objects as CSV (UTF-8 with BOM, for Excel): every object
(--all, zipped), or one object, with --related its detail objects too. Every
value is written so that 'batchdesk import' reads it back to the same stored
value; all files of one export are read in one consistent snapshot.

Without --with-ids a lookup is written as the referenced record's primary
attribute (a user by email); a related export then numbers its masters in a
_key column that the details repeat: re-import with --master-key _key.
With --with-ids the record id column is added and lookups are IDs.

Each file is published whole or not at all. Ctrl-C cancels; an interrupted
export runs again with: batchdesk jobs resume ID.

Exit status: 0 done, 1 canceled, 2 the export could not run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := f.settings()
			if err != nil {
				return err
			}
			if f.schedule != "" {
				return scheduleExport(env, cmd, f.schedule, set, f.asJSON)
			}
			svc, r, err := exportService(env, cmd, newProgressView(env, "export"))
			if err != nil {
				return err
			}
			return runExportJob(env, cmd.Context(), r, f.asJSON, func(ctx context.Context) (string, error) {
				return svc.StartSettings(ctx, set, "")
			})
		},
	}
	f.bind(cmd.Flags())
	return cmd
}

// exportService opens the job registry (see registry) reporting to em and
// the export service over it.
func exportService(env *Env, cmd *cobra.Command, em jobs.Emitter) (*export.Service, *jobs.Registry, error) {
	ws, r, err := registry(env, cmd, em)
	if err != nil {
		return nil, nil, err
	}
	return export.NewService(ws, r, nil), r, nil
}

// exportSummary is the last stdout line of an export run with --json.
type exportSummary struct {
	JobID   string        `json:"jobId"`
	Status  string        `json:"status"`
	Files   []export.File `json:"files"`
	Rows    int64         `json:"rows"`
	Seconds float64       `json:"seconds"`
}

// runExportJob starts an export with start, waits for it (Ctrl-C cancels
// it), prints its notes and summary and maps the outcome to an exit.
func runExportJob(env *Env, ctx context.Context, r *jobs.Registry, asJSON bool, start func(context.Context) (string, error)) error {
	id, err := start(ctx)
	if err != nil {
		return err
	}
	if jobStarted != nil {
		jobStarted(id)
	}
	j, runErr := r.Wait(context.WithoutCancel(ctx), id)
	if j.ID == "" {
		return runErr
	}
	if d, err := r.Get(context.WithoutCancel(ctx), id); err == nil {
		for _, e := range d.Events {
			if strings.HasPrefix(e.Message, export.NotePrefix) {
				fmt.Fprintf(env.Stderr, "export: %s\n", e.Message)
			}
		}
	}
	printExportSummary(env, j, asJSON)
	return jobExit(j, runErr)
}

// printExportSummary ends an export's output: one JSON line with --json,
// otherwise a few lines for people.
func printExportSummary(env *Env, j store.Job, asJSON bool) {
	files := export.FilesOf(j.Files)
	if asJSON {
		b, _ := json.Marshal(exportSummary{JobID: j.ID, Status: j.Status, Files: files, Rows: j.Succeeded, Seconds: jobSeconds(j)})
		fmt.Fprintf(env.Stdout, "%s\n", b)
		return
	}
	fmt.Fprintf(env.Stdout, "Job %s: %s\n", j.ID, j.Status)
	fmt.Fprintf(env.Stdout, "  %d rows (%.1f s)\n", j.Succeeded, jobSeconds(j))
	for _, f := range files {
		where := f.Location
		if f.Archive != "" {
			where = "in " + f.Archive
		}
		fmt.Fprintf(env.Stdout, "  %s: %d rows, %d bytes, sha256 %s, %s\n", f.Name, f.Rows, f.Bytes, f.SHA256, where)
	}
	if j.Status == store.StatusCanceled || j.Status == store.StatusInterrupted {
		fmt.Fprintf(env.Stdout, "  run it again with: batchdesk jobs resume %s\n", j.ID)
	}
}

// resumeExport runs an export job again for `jobs resume` / `jobs
// restart`; handled is false when the job is not an export.
func resumeExport(env *Env, cmd *cobra.Command, id, crmFlag string, restart, asJSON bool) (handled bool, err error) {
	svc, r, err := exportService(env, cmd, newProgressView(env, "export"))
	if err != nil {
		return true, err
	}
	if ok, err := svc.IsExport(cmd.Context(), id); err != nil || !ok {
		return false, nil
	}
	return true, runExportJob(env, cmd.Context(), r, asJSON, func(ctx context.Context) (string, error) {
		if restart {
			return svc.Restart(ctx, id, crmFlag)
		}
		return id, svc.Resume(ctx, id, crmFlag)
	})
}
