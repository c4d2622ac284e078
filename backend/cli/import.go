package cli

import (
	"context"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"batchdesk/backend/imports"
	"batchdesk/backend/jobs"
)

func init() { register(newImportCmd) }

// importFlags are the flags of import, shared with validate and presets save.
type importFlags struct {
	crm       string
	object    string
	mode      string
	key       string
	preset    string
	maps      []string
	encoding  string
	delimiter string
	batchSize int
	maxFileMB int
	rehearse  bool
	errors    string
	asJSON    bool
	masterKey string
	details   []string
}

// bind declares the flags on fs; job adds those only a run has (--json,
// --errors, --rehearse).
func (f *importFlags) bind(fs *pflag.FlagSet, job bool) {
	fs.StringVar(&f.crm, "crm", "", "the CRM: a PostgreSQL URL, a saved connection, sandbox or sandbox:PATH")
	fs.StringVar(&f.object, "object", "", "the target object's API name (Account, Contact, …)")
	fs.StringVar(&f.mode, "mode", "", "insert (add new records), update (existing ones) or upsert (add or update); default insert")
	fs.StringVar(&f.key, "key", "", "how records are found for update/upsert: id, primary or a field's API name")
	fs.StringVar(&f.preset, "preset", "", "a saved preset's name or a preset JSON file")
	fs.StringArrayVar(&f.maps, "map", nil, `map a column to a field, "Header=field" (repeatable; wins over auto-matching and the preset; "Header=" ignores the column)`)
	fs.StringVar(&f.encoding, "encoding", "", "read the files in this encoding instead of detecting it")
	fs.StringVar(&f.delimiter, "delimiter", "", `use this delimiter instead of sniffing it ("," ";" tab "|")`)
	fs.IntVar(&f.batchSize, "batch-size", 0, "rows per batch (default: the setting, 5000)")
	fs.IntVar(&f.maxFileMB, "max-file-mb", 0, "largest accepted file in MiB (default: the setting, 100)")
	fs.StringVar(&f.masterKey, "master-key", "", "the detail files' column that holds the master's key (with --detail; default: a master–detail preset's)")
	fs.StringArrayVar(&f.details, "detail", nil, "a detail file imported with the master, OBJECT=FILE (repeatable; mapped by the preset's detail of OBJECT when it has one)")
	if job {
		fs.BoolVar(&f.rehearse, "rehearse", false, "run the whole load in a transaction on the CRM and roll it back")
		fs.StringVar(&f.errors, "errors", "", "write the failing rows here (default: the data folder's reports/<jobId>/<file>-errors.csv)")
		fs.BoolVar(&f.asJSON, "json", false, "make the last stdout line one JSON summary")
	}
}

// form turns the flags and the files into the command line's form of an
// import, which the import service completes (Service.Complete).
func (f *importFlags) form(files []string) imports.Form {
	return imports.Form{CRM: f.crm, Object: f.object, Mode: f.mode, Key: f.key, Preset: f.preset,
		Maps: f.maps, Encoding: f.encoding, Delimiter: f.delimiter,
		BatchSize: f.batchSize, MaxFileMB: f.maxFileMB, Rehearse: f.rehearse, Errors: f.errors,
		MasterKey: f.masterKey, Details: f.details, Files: files}
}

func newImportCmd(env *Env) *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import --crm C --object O [flags] FILE... [--master-key COLUMN --detail OBJECT=FILE ...]",
		Short: "Import CSV files into a CRM object",
		Long: `Import validates every row locally, then sends the good ones to the CRM in
batches; failing rows go to an error report (CSV, UTF-8 with BOM: the input's
columns, then _row and _error) that can be fixed and imported as is.

Headers are matched to fields automatically; --preset and --map override.
Ctrl-C cancels gracefully: the job stays resumable (batchdesk jobs resume ID).

Exit status: 0 every row succeeded, 1 some rows failed or the job was
canceled, 2 the job could not run to its end (it failed, or was interrupted
by a lost connection: resume it).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(env, cmd, &f, args, false)
		},
	}
	f.bind(cmd.Flags(), true)
	return cmd
}

// runImport runs import (validateOnly false) or validate as a job.
func runImport(env *Env, cmd *cobra.Command, f *importFlags, files []string, validateOnly bool) error {
	kind := "import"
	if validateOnly {
		kind = "validate"
	}
	svc, r, err := importService(env, cmd, newProgressView(env, kind))
	if err != nil {
		return err
	}
	form := f.form(files)
	form.ValidateOnly = validateOnly
	return runJob(env, cmd.Context(), r, f.asJSON, func(ctx context.Context) (string, error) {
		// The same complete request the window sends (a mapping for each
		// file set, each detail with its master column), started with the
		// CRM opened and the headers read once.
		return svc.StartForm(ctx, form)
	})
}

// importService opens the job registry (see registry) reporting to em and
// the import service over it.
func importService(env *Env, cmd *cobra.Command, em jobs.Emitter) (*imports.Service, *jobs.Registry, error) {
	ws, r, err := registry(env, cmd, em)
	if err != nil {
		return nil, nil, err
	}
	return imports.New(ws, r, imports.Options{}), r, nil
}

// jobStarted, when set (by tests), is called once a job has started: a
// test's stand-in for a Ctrl-C at a known moment.
var jobStarted func(id string)

// runJob starts an import job with start, waits for it (Ctrl-C cancels it
// gracefully), prints the summary and maps the outcome to an exit.
func runJob(env *Env, ctx context.Context, r *jobs.Registry, asJSON bool, start func(context.Context) (string, error)) error {
	id, err := start(ctx)
	if err != nil {
		return err
	}
	if jobStarted != nil {
		jobStarted(id)
	}
	// Wait past a Ctrl-C: the job's own context is canceled by it and the
	// job records its canceled outcome before Wait returns.
	j, runErr := r.Wait(context.WithoutCancel(ctx), id)
	if j.ID == "" {
		return runErr
	}
	printSummary(env, j, asJSON)
	return jobExit(j, runErr)
}
