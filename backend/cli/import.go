package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"batchdesk/backend/appdir"
	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
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
	// presetBody, when set, is the preset's mapping itself (a resumed job's
	// saved copy), used instead of looking --preset up again.
	presetBody json.RawMessage
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
	fs.StringVar(&f.masterKey, "master-key", "", "the detail files' column that holds the master's key (with --detail)")
	fs.StringArrayVar(&f.details, "detail", nil, "a detail file imported with the master, OBJECT=FILE (repeatable)")
	if job {
		fs.BoolVar(&f.rehearse, "rehearse", false, "run the whole load in a transaction on the CRM and roll it back")
		fs.StringVar(&f.errors, "errors", "", "write the failing rows here (default: the data folder's reports/<jobId>-errors.csv)")
		fs.BoolVar(&f.asJSON, "json", false, "make the last stdout line one JSON summary")
	}
}

// check validates what can be checked without the CRM or the files.
func (f *importFlags) check(files []string) error {
	if strings.TrimSpace(f.crm) == "" {
		return apperr.New(apperr.Invalid, "no CRM given: add --crm (a postgres:// URL, a saved connection, sandbox or sandbox:PATH)")
	}
	if strings.TrimSpace(f.object) == "" && f.preset == "" && f.presetBody == nil {
		return apperr.New(apperr.Invalid, "no object given: add --object (Account, Contact, …)")
	}
	switch strings.ToLower(f.mode) {
	case "", "insert", "update", "upsert":
		f.mode = strings.ToLower(f.mode)
	default:
		return apperr.New(apperr.Invalid, "--mode must be insert, update or upsert, not %q", f.mode)
	}
	if f.batchSize < 0 || f.batchSize > 1_000_000 {
		return apperr.New(apperr.Invalid, "--batch-size must be between 1 and 1,000,000, not %d", f.batchSize)
	}
	if f.maxFileMB < 0 {
		return apperr.New(apperr.Invalid, "--max-file-mb must be positive, not %d", f.maxFileMB)
	}
	for _, m := range f.maps {
		if _, _, err := splitMap(m); err != nil {
			return err
		}
	}
	for _, d := range f.details {
		if _, _, err := splitDetail(d); err != nil {
			return err
		}
	}
	if len(f.details) > 0 && f.masterKey == "" {
		return apperr.New(apperr.Invalid, "--detail needs --master-key COLUMN: the detail files' column that holds the master's key")
	}
	if f.masterKey != "" && len(f.details) == 0 {
		return apperr.New(apperr.Invalid, "--master-key needs at least one --detail OBJECT=FILE")
	}
	if len(files) == 0 {
		return apperr.New(apperr.Invalid, "no file given: name the CSV files to import")
	}
	for _, p := range files {
		if err := checkReadable(p); err != nil {
			return err
		}
	}
	return nil
}

// checkReadable gives a missing or unreadable file one clear line.
func checkReadable(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fileError(path, err)
	}
	if st.IsDir() {
		return apperr.New(apperr.Invalid, "%s is a folder, not a CSV file", path)
	}
	return nil
}

// splitMap reads one --map "Header=field".
func splitMap(s string) (header, field string, err error) {
	h, f, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(h) == "" {
		return "", "", apperr.New(apperr.Invalid, `--map %q: write it as "Header=field" (or "Header=" to ignore the column)`, s)
	}
	return strings.TrimSpace(h), strings.TrimSpace(f), nil
}

// splitDetail reads one --detail OBJECT=FILE.
func splitDetail(s string) (object, file string, err error) {
	o, f, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(o) == "" || strings.TrimSpace(f) == "" {
		return "", "", apperr.New(apperr.Invalid, "--detail %q: write it as OBJECT=FILE, e.g. OpportunityLine=lines.csv", s)
	}
	return strings.TrimSpace(o), strings.TrimSpace(f), nil
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
canceled, 2 the job could not run.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(env, cmd, &f, args, false)
		},
	}
	f.bind(cmd.Flags(), true)
	return cmd
}

// runImport runs import (validateOnly false) or validate as a job.
func runImport(env *Env, cmd *cobra.Command, f *importFlags, files []string, validateOnly bool) error {
	if err := f.check(files); err != nil {
		return err
	}
	ctx := cmd.Context()
	ws, err := env.services()
	if err != nil {
		return err
	}
	req, err := prepareImport(ctx, ws, f, files)
	if err != nil {
		return err
	}
	defer req.target.Close()
	req.validateOnly = validateOnly
	kind := "import"
	if validateOnly {
		kind = "validate"
	}
	view := newProgressView(env, kind)
	r := jobs.New(ws.Store, view, jobs.Options{})
	job, err := r.Create(ctx, jobs.Spec{Kind: store.JobImport, Connection: req.connection,
		Object: req.object.APIName, Settings: req.settings(), Files: req.fingerprints})
	if err != nil {
		return err
	}
	return runJob(env, ctx, r, job.ID, req, f.asJSON)
}

// jobStarted, when set (by tests), is called once a job has started: a
// test's stand-in for a Ctrl-C at a known moment.
var jobStarted func(id string)

// runJob starts the import job id with req, waits for it (Ctrl-C cancels
// it gracefully), prints the summary and maps the outcome to an exit.
func runJob(env *Env, ctx context.Context, r *jobs.Registry, id string, req *importRequest, asJSON bool) error {
	req.jobID = id
	if req.errorsPath == "" {
		dir, err := appdir.Sub("reports")
		if err != nil {
			return err
		}
		req.errorsPath = filepath.Join(dir, id+"-errors.csv")
	}
	if err := r.Start(ctx, id, req.run); err != nil {
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

// importRequest is one import or validation, resolved from the flags (or
// from a job's saved settings, for resume and restart).
type importRequest struct {
	flags        importFlags
	files        []string
	connection   string // --crm without a password, for the history and resume
	target       crm.Target
	object       *catalog.Object
	srcOpts      source.Options
	header       []string
	batchSize    int
	presetBody   json.RawMessage // the preset's mapping, nil when none
	fingerprints []store.JobFile
	mapping      mapping.Mapping
	details      []pipeline.Detail
	validateOnly bool
	resume       bool
	priorWritten int64 // rows a resumed job had written before
	jobID        string
	errorsPath   string
}

// jobSettings is what a job saves to be resumed or restarted: the import
// flags as given (the CRM without its password).
type jobSettings struct {
	CRM          string          `json:"crm"`
	Object       string          `json:"object"`
	Mode         string          `json:"mode,omitempty"`
	Key          string          `json:"key,omitempty"`
	Preset       string          `json:"preset,omitempty"`
	PresetBody   json.RawMessage `json:"presetBody,omitempty"`
	Maps         []string        `json:"maps,omitempty"`
	Encoding     string          `json:"encoding,omitempty"`
	Delimiter    string          `json:"delimiter,omitempty"`
	BatchSize    int             `json:"batchSize"`
	MaxFileMB    int             `json:"maxFileMB,omitempty"`
	Rehearse     bool            `json:"rehearse,omitempty"`
	ValidateOnly bool            `json:"validateOnly,omitempty"`
	Errors       string          `json:"errors,omitempty"`
	MasterKey    string          `json:"masterKey,omitempty"`
	Details      []string        `json:"details,omitempty"`
	Files        []string        `json:"files"`
}

func (q *importRequest) settings() jobSettings {
	f := q.flags
	return jobSettings{CRM: q.connection, Object: q.object.APIName, Mode: f.mode, Key: f.key,
		Preset: f.preset, PresetBody: q.presetBody, Maps: f.maps, Encoding: f.encoding, Delimiter: f.delimiter,
		BatchSize: q.batchSize, MaxFileMB: f.maxFileMB, Rehearse: f.rehearse, ValidateOnly: q.validateOnly,
		Errors: f.errors, MasterKey: f.masterKey, Details: f.details, Files: q.files}
}

// flagsOf turns saved settings back into flags.
func (s jobSettings) flagsOf() importFlags {
	return importFlags{crm: s.CRM, object: s.Object, mode: s.Mode, key: s.Key, preset: s.Preset,
		maps: s.Maps, encoding: s.Encoding, delimiter: s.Delimiter, batchSize: s.BatchSize,
		maxFileMB: s.MaxFileMB, rehearse: s.Rehearse, errors: s.Errors, masterKey: s.MasterKey, details: s.Details,
		presetBody: s.PresetBody}
}

// withoutPassword drops a password from a postgres:// URL so the history
// never holds one (resume then takes it from PGPASSWORD or --crm).
func withoutPassword(c string) string {
	if !strings.Contains(c, "://") {
		return c
	}
	u, err := url.Parse(c)
	if err != nil || u.User == nil {
		return c
	}
	u.User = url.User(u.User.Username())
	return u.String()
}

// prepareImport resolves everything an import needs before a job exists,
// so every "cannot run" problem is found here (exit 2): the CRM, the object,
// the key, the preset, the files (size, encoding, header) and the mapping.
func prepareImport(ctx context.Context, ws *Services, f *importFlags, files []string) (*importRequest, error) {
	q := &importRequest{flags: *f, files: files, connection: withoutPassword(strings.TrimSpace(f.crm))}
	var err error
	q.presetBody = f.presetBody
	if f.preset != "" && q.presetBody == nil {
		if q.presetBody, err = loadPresetBody(ctx, ws, f.preset); err != nil {
			return nil, err
		}
	}
	if q.presetBody != nil {
		if f.object == "" {
			f.object = presetObject(q.presetBody)
			q.flags.object = f.object
			if f.object == "" {
				return nil, apperr.New(apperr.Invalid, "preset %q names no object: add --object", f.preset)
			}
		}
	}
	if f.maxFileMB == 0 {
		if f.maxFileMB, err = ws.Store.MaxFileMB(ctx); err != nil {
			return nil, err
		}
	}
	if q.batchSize = f.batchSize; q.batchSize == 0 {
		if q.batchSize, err = ws.Store.BatchSize(ctx); err != nil {
			return nil, err
		}
	}
	if q.srcOpts, err = sourceOptions(f.encoding, f.delimiter, f.maxFileMB); err != nil {
		return nil, err
	}
	// Files first: a missing or oversized file needs no CRM to be refused.
	for i, p := range files {
		header, err := readHeader(p, q.srcOpts, f.maxFileMB)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			q.header = header
		} else if !slices.Equal(header, q.header) {
			return nil, apperr.New(apperr.Invalid, "%s has other columns than %s: files of one import must have the same header", p, files[0])
		}
	}
	spec, err := ws.Conns.Resolve(ctx, f.crm)
	if err != nil {
		return nil, err
	}
	if q.target, err = crm.Open(ctx, spec); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			q.target.Close()
		}
	}()
	if q.object, err = findObject(ctx, q.target, f.object); err != nil {
		return nil, err
	}
	if err := checkKey(q.object, f); err != nil {
		return nil, err
	}
	if err := checkMaps(q.object, q.header, f.maps); err != nil {
		return nil, err
	}
	if q.mapping, err = buildMapping(q.object, q.header, q.presetBody, f.maps, f.mode, f.key); err != nil {
		return nil, err
	}
	for _, d := range f.details {
		obj, file, _ := splitDetail(d)
		if _, err := findObject(ctx, q.target, obj); err != nil {
			return nil, err
		}
		header, err := readHeader(file, q.srcOpts, f.maxFileMB)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(header, f.masterKey) {
			return nil, apperr.New(apperr.Invalid, "--master-key %q: %s has no such column (columns: %s)", f.masterKey, file, strings.Join(header, ", "))
		}
		dobj, _ := findObject(ctx, q.target, obj)
		dm, err := buildMapping(dobj, header, nil, nil, "insert", "")
		if err != nil {
			return nil, err
		}
		q.details = append(q.details, pipeline.Detail{Object: dobj.APIName, Files: []string{file}, Mapping: dm, MasterColumn: f.masterKey})
	}
	for _, p := range files {
		fp, err := jobs.Fingerprint(p)
		if err != nil {
			return nil, fileError(p, err)
		}
		q.fingerprints = append(q.fingerprints, fp)
	}
	if f.errors != "" {
		if q.errorsPath, err = filepath.Abs(f.errors); err != nil {
			return nil, fmt.Errorf("error report path: %w", err)
		}
	}
	ok = true
	return q, nil
}

// readHeader opens a CSV file as the import will and returns its header;
// size, encoding and header problems become one clear line.
func readHeader(path string, opts source.Options, maxMB int) ([]string, error) {
	if err := checkReadable(path); err != nil {
		return nil, err
	}
	sf, err := source.Open(path, opts)
	if errors.Is(err, source.ErrTooLarge) {
		return nil, apperr.Wrap(err, apperr.TooLarge,
			"%s is larger than the %d MB limit: split it into smaller files (e.g. by rows, keeping the header in each) or raise the limit with --max-file-mb",
			path, maxMB)
	}
	if err != nil {
		return nil, fileError(path, err)
	}
	defer sf.Close()
	return slices.Clone(sf.Header()), nil
}

// findObject looks an object up, listing the known ones when it is unknown.
func findObject(ctx context.Context, t crm.Target, name string) (*catalog.Object, error) {
	obj, err := t.Object(ctx, name)
	if errors.Is(err, catalog.ErrUnknownObject) {
		var names []string
		if objs, lerr := t.Objects(ctx); lerr == nil {
			for _, o := range objs {
				names = append(names, o.APIName)
			}
		}
		return nil, apperr.Wrap(err, apperr.NotFound, "unknown object %q in %s (objects: %s)", name, t.Describe(), strings.Join(names, ", "))
	}
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// checkKey checks --key against the object and defaults it for update and
// upsert (the record ID).
func checkKey(obj *catalog.Object, f *importFlags) error {
	if f.mode == "" || f.mode == "insert" {
		if f.key != "" && f.mode == "" {
			f.mode = "upsert"
		}
		if f.mode == "" || f.mode == "insert" {
			return nil
		}
	}
	switch k := strings.ToLower(f.key); k {
	case "", "id":
		f.key = "id"
	case "primary":
		if obj.Primary == "" {
			return apperr.New(apperr.Invalid, "--key primary: %s has no primary attribute; use --key id or a unique field", obj.APIName)
		}
		f.key = "primary"
	default:
		fld, err := obj.Field(f.key)
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, "--key %q: %s has no such field", f.key, obj.APIName)
		}
		f.key = fld.APIName
	}
	return nil
}

// checkMaps checks each --map against the file's header and the object.
func checkMaps(obj *catalog.Object, header []string, maps []string) error {
	for _, m := range maps {
		h, fld, _ := splitMap(m)
		found := false
		for _, col := range header {
			if strings.EqualFold(strings.TrimSpace(col), h) {
				found = true
			}
		}
		if !found {
			return apperr.New(apperr.Invalid, "--map %q: the file has no column %q (columns: %s)", m, h, strings.Join(header, ", "))
		}
		if fld == "" {
			continue
		}
		if _, err := obj.Field(fld); err != nil {
			var names []string
			for _, f := range obj.Fields {
				names = append(names, f.APIName)
			}
			return apperr.Wrap(err, apperr.Invalid, "--map %q: %s has no field %q (fields: %s)", m, obj.APIName, fld, strings.Join(names, ", "))
		}
	}
	return nil
}

// run is the job's function: the import pipeline (Resume when resuming).
func (q *importRequest) run(ctx context.Context, report func(jobs.Progress)) (jobs.Outcome, error) {
	req := pipeline.Request{Target: q.target, Object: q.object.APIName, Mapping: q.mapping, Files: q.files,
		Encoding: q.flags.encoding, Delimiter: q.srcDelimiter(), MaxFileBytes: q.srcOpts.MaxBytes,
		BatchSize: q.batchSize, Rehearse: q.flags.rehearse, ValidateOnly: q.validateOnly, JobID: q.jobID,
		ErrorsPath: q.errorsPath, MasterKey: q.flags.masterKey, Details: q.details}
	run := pipeline.Run
	if q.resume {
		run = pipeline.Resume
	}
	progress := func(p pipeline.Progress) {
		report(jobs.Progress{Total: p.Rows, Done: p.Succeeded + p.Failed, Succeeded: p.Succeeded, Failed: p.Failed,
			BytesRead: p.BytesRead, BytesTotal: p.BytesTotal, Message: p.Phase})
	}
	res, err := run(ctx, req, progress)
	if q.resume && q.priorWritten == 0 && apperr.CodeOf(err) == apperr.NotFound {
		// The job stopped before its first batch reached the CRM: nothing
		// was written, so running it from the start is the resume.
		res, err = pipeline.Run(ctx, req, progress)
	}
	out := jobs.Outcome{Total: res.Total, Succeeded: res.Succeeded, Failed: res.Failed, ErrorReport: res.ErrorsFile}
	if err != nil && ctx.Err() != nil {
		out.Canceled = true
		return out, nil
	}
	if res.Interrupted {
		out.Interrupted = true
		return out, err
	}
	if err == nil && q.validateOnly {
		out.Message = fmt.Sprintf("validated %d rows: %d valid, %d with problems", res.Total, res.Succeeded, res.Failed)
	}
	return out, err
}

// srcDelimiter is the --delimiter as the pipeline takes it.
func (q *importRequest) srcDelimiter() string {
	if q.srcOpts.Delimiter == 0 {
		return ""
	}
	return string(q.srcOpts.Delimiter)
}

// buildMapping makes the mapping of one object's files: the preset's
// columns (or auto-matched headers), then --map on top; mode and key from
// the flags, else the preset. Its columns are keyed by the file's own
// header names.
func buildMapping(obj *catalog.Object, header []string, presetBody json.RawMessage, maps []string, mode, key string) (mapping.Mapping, error) {
	var preset mapping.Mapping
	if len(presetBody) > 0 {
		if err := json.Unmarshal(presetBody, &preset); err != nil {
			return mapping.Mapping{}, apperr.Wrap(err, apperr.Invalid, "the preset's mapping cannot be read: %v", err)
		}
	}
	cols := map[string]mapping.Column{} // by normalized header
	if preset.Columns != nil {
		for h, c := range preset.Columns {
			cols[mapping.Normalize(h)] = c
		}
	} else {
		for h, f := range autoMatch(obj, header) {
			cols[mapping.Normalize(h)] = mapping.Column{Field: f}
		}
	}
	for _, m := range maps {
		h, f, _ := splitMap(m)
		if f == "" {
			delete(cols, mapping.Normalize(h))
			continue
		}
		fld, err := obj.Field(f)
		if err != nil {
			return mapping.Mapping{}, apperr.Wrap(err, apperr.Invalid, "--map %q: %s has no field %q", m, obj.APIName, f)
		}
		cols[mapping.Normalize(h)] = mapping.Column{Field: fld.APIName}
	}
	out := mapping.Mapping{Object: obj.APIName, Mode: mapping.Mode(mode), Key: key, Zone: preset.Zone,
		Columns: map[string]mapping.Column{}}
	if out.Mode == "" {
		out.Mode = preset.Mode
	}
	if out.Key == "" {
		out.Key = preset.Key
	}
	for _, h := range header {
		if c, ok := cols[mapping.Normalize(h)]; ok && c.Field != "" {
			out.Columns[h] = c
		}
	}
	if len(out.Columns) == 0 {
		return out, apperr.New(apperr.Invalid, "no column of the file matches a field of %s: map them with --map \"Header=field\" or --preset", obj.APIName)
	}
	if err := out.Check(obj); err != nil {
		return out, apperr.Wrap(err, apperr.Invalid, "the mapping does not fit %s: %v", obj.APIName, err)
	}
	return out, nil
}

// autoMatch is mapping.AutoMapping's header → field pairs; the error
// report's _row and _error columns never match.
func autoMatch(obj *catalog.Object, header []string) map[string]string {
	var hs []string
	for _, h := range header {
		if h != "_row" && h != "_error" {
			hs = append(hs, h)
		}
	}
	out := map[string]string{}
	for h, c := range mapping.AutoMapping(obj, hs).Columns {
		out[h] = c.Field
	}
	return out
}
