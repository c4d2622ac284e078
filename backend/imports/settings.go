package imports

import (
	"encoding/json"
	"net/url"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/source"
)

// Settings are an import as asked for — by the command line's flags or the
// window's import request — and what a job saves to run again (resume,
// restart). The CRM is kept without its password. The JSON shape is that
// of the jobs the command line has always saved; fields added since are
// optional.
type Settings struct {
	// CRM is a PostgreSQL URL, a saved connection's name, "sandbox" or
	// "sandbox:PATH".
	CRM    string `json:"crm"`
	Object string `json:"object"`
	// Mode is insert, update or upsert ("" = insert, or upsert with a Key).
	Mode string `json:"mode,omitempty"`
	// Key is id, primary or a field's API name (update and upsert).
	Key string `json:"key,omitempty"`
	// Preset is a saved preset's name or a preset JSON file; PresetBody its
	// mapping as loaded (a resumed job uses it instead of looking again).
	Preset     string          `json:"preset,omitempty"`
	PresetBody json.RawMessage `json:"presetBody,omitempty"`
	// Maps are "Header=field" pairs on top of the preset or auto-matching
	// ("Header=" ignores the column).
	Maps []string `json:"maps,omitempty"`
	// Encoding and Delimiter override detection for every file ("" =
	// detect / sniff); Formats override them per file path.
	Encoding  string            `json:"encoding,omitempty"`
	Delimiter string            `json:"delimiter,omitempty"`
	Formats   map[string]Format `json:"formats,omitempty"`
	// BatchSize is rows per batch (0 = the setting).
	BatchSize int `json:"batchSize"`
	// MaxFileMB is the largest accepted file (0 = the setting).
	MaxFileMB    int  `json:"maxFileMB,omitempty"`
	Rehearse     bool `json:"rehearse,omitempty"`
	ValidateOnly bool `json:"validateOnly,omitempty"`
	// Errors is where the error report goes ("" = the data folder's
	// reports/<jobId>/<file>-errors.csv).
	Errors string `json:"errors,omitempty"`
	// MasterKey is the master file's column holding each master's key;
	// Details are detail files as OBJECT=FILE, whose column MasterKey
	// refers to the master (mapped automatically).
	MasterKey string   `json:"masterKey,omitempty"`
	Details   []string `json:"details,omitempty"`
	// Mapping, when set, is the complete mapping of the files, used as it
	// is (no auto-matching, no preset, no Maps).
	Mapping *mapping.Mapping `json:"mapping,omitempty"`
	// DetailFiles are detail objects with their own files and mappings.
	DetailFiles []DetailFiles `json:"detailFiles,omitempty"`
	// MasterIDs is the file of masters an earlier job wrote, by key, that
	// a restart of its failed details links to (set by Restart).
	MasterIDs string   `json:"masterIds,omitempty"`
	Files     []string `json:"files"`
	// RestoreOf is the delete job whose backup this import restores ("" =
	// a plain import; set by backend/deletion Restore, read by the job
	// pages and store.ListRestoresOf).
	RestoreOf string `json:"restoreOf,omitempty"`
}

// The settings a check error can name (apperr.Error.Setting): the window
// points at its control, the command line at its flag.
const (
	SettingCRM       = "crm"
	SettingObject    = "object"
	SettingMode      = "mode"
	SettingKey       = "key"
	SettingBatchSize = "batchSize"
	SettingMaxFileMB = "maxFileMb"
	SettingMasterKey = "masterKey"
	SettingDetails   = "details"
)

// Format says how to read one file ("" = detect / sniff).
type Format struct {
	Encoding  string `json:"encoding,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
}

// DetailFiles is one detail object of a master–detail import.
type DetailFiles struct {
	Object string   `json:"object"`
	Files  []string `json:"files"`
	// Mapping maps the detail's columns (nil: matched automatically).
	Mapping *mapping.Mapping `json:"mapping,omitempty"`
	// MasterColumn is the detail's column holding the master's key (""
	// = Settings.MasterKey).
	MasterColumn string `json:"masterColumn,omitempty"`
}

// check validates what can be checked without the CRM or the files'
// contents, and normalizes the mode.
func (s *Settings) check() error {
	if strings.TrimSpace(s.CRM) == "" {
		return apperr.New(apperr.Invalid, "no CRM given: name one (a saved connection, a postgres:// URL, sandbox or sandbox:PATH)").For(SettingCRM)
	}
	if strings.TrimSpace(s.Object) == "" && s.Preset == "" && s.PresetBody == nil && (s.Mapping == nil || s.Mapping.Object == "") {
		return apperr.New(apperr.Invalid, "no object given: name the object to import into (Account, Contact, …)").For(SettingObject)
	}
	switch strings.ToLower(s.Mode) {
	case "", "insert", "update", "upsert":
		s.Mode = strings.ToLower(s.Mode)
	default:
		return apperr.New(apperr.Invalid, "the mode must be insert, update or upsert, not %q", s.Mode).For(SettingMode)
	}
	if s.BatchSize < 0 || s.BatchSize > 1_000_000 {
		return apperr.New(apperr.Invalid, "the batch size must be between 1 and 1,000,000, not %d", s.BatchSize).For(SettingBatchSize)
	}
	if s.MaxFileMB < 0 {
		return apperr.New(apperr.Invalid, "the file size limit (MB) must be positive, not %d", s.MaxFileMB).For(SettingMaxFileMB)
	}
	for _, m := range s.Maps {
		if _, _, err := parseMap(m); err != nil {
			return err
		}
	}
	for _, d := range s.Details {
		if _, _, err := splitDetail(d); err != nil {
			return err
		}
	}
	if len(s.Details) > 0 && s.MasterKey == "" {
		return apperr.New(apperr.Invalid, "detail files need the master key column: the detail files' column that holds the master's key").For(SettingMasterKey)
	}
	if s.MasterKey != "" && len(s.Details) == 0 && len(s.DetailFiles) == 0 {
		return apperr.New(apperr.Invalid, "a master key column is given but no detail file").For(SettingDetails)
	}
	if len(s.Files) == 0 {
		return apperr.New(apperr.Invalid, "no file given: name the CSV files to import")
	}
	for _, p := range s.Files {
		if err := checkReadable(p); err != nil {
			return err
		}
	}
	return nil
}

// details returns Details and DetailFiles as one list.
func (s *Settings) details() []DetailFiles {
	var out []DetailFiles
	for _, d := range s.Details {
		obj, file, _ := splitDetail(d)
		out = append(out, DetailFiles{Object: obj, Files: []string{file}, MasterColumn: s.MasterKey})
	}
	for _, d := range s.DetailFiles {
		if d.MasterColumn == "" {
			d.MasterColumn = s.MasterKey
		}
		out = append(out, d)
	}
	return out
}

// checkReadable gives a missing or unreadable file one clear line.
func checkReadable(path string) error {
	if err := source.CheckRegular(path); err != nil {
		return FileError(path, err)
	}
	return nil
}

// parseMap reads one --map "Header=field" pair (mapping.ParseMapFlag:
// split at the last '=', "Header=" unmaps the column), coded Invalid.
func parseMap(s string) (header, field string, err error) {
	header, field, err = mapping.ParseMapFlag(s)
	if err != nil {
		return "", "", apperr.Wrap(err, apperr.Invalid, "%v", err)
	}
	return header, field, nil
}

// splitDetail reads one OBJECT=FILE.
func splitDetail(s string) (object, file string, err error) {
	o, f, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(o) == "" || strings.TrimSpace(f) == "" {
		return "", "", apperr.New(apperr.Invalid, "--detail %q: write it as OBJECT=FILE, e.g. OpportunityLine=lines.csv", s)
	}
	return strings.TrimSpace(o), strings.TrimSpace(f), nil
}

// withoutPassword drops a password from a postgres:// URL so the history
// never holds one (resume then takes it from PGPASSWORD or a new CRM).
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
