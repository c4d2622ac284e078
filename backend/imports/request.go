package imports

import (
	"slices"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
	"batchdesk/backend/imports/source"
)

// Request is one complete import, as the window sends it and as the
// command line makes it from its flags (Form.Complete): the files, how to
// read each, the mapping of their columns (mode and key included), and
// each detail object's files, mapping and master column. It is also what
// a job saves to run again (resume, restart); the CRM is kept without its
// password.
type Request struct {
	// CRM is a PostgreSQL URL, a saved connection's name, "sandbox" or
	// "sandbox:PATH".
	CRM string `json:"crm"`
	// Object is the object to import into ("" = Mapping.Object).
	Object string `json:"object"`
	// Mapping is the files' complete mapping, used as it is: keyed by the
	// files' headers, with the mode and the key (a key without a mode
	// means upsert; update and upsert without a key use the record ID).
	Mapping mapping.Mapping `json:"mapping"`
	Files   []string        `json:"files"`
	// Formats are the encoding and delimiter of the files read with a
	// chosen one, by path (master and detail files alike; a file not here
	// is detected / sniffed).
	Formats map[string]source.Format `json:"formats,omitempty"`
	// BatchSize is rows per batch (0 = the setting).
	BatchSize int `json:"batchSize"`
	// MaxFileMB is the largest accepted file (0 = the setting).
	MaxFileMB    int  `json:"maxFileMB,omitempty"`
	Rehearse     bool `json:"rehearse,omitempty"`
	ValidateOnly bool `json:"validateOnly,omitempty"`
	// Errors is where the error report goes ("" = the data folder's
	// reports/<jobId>/<file>-errors.csv).
	Errors string `json:"errors,omitempty"`
	// MasterKey is the master file's column holding each master's key, to
	// which the details' MasterColumn refer.
	MasterKey string `json:"masterKey,omitempty"`
	// Details are the detail objects, each with its files, its mapping
	// (insert) and its column holding the master's key ("" = MasterKey).
	Details []pipeline.Detail `json:"detailFiles,omitempty"`
	// MasterIDs is the file of masters an earlier job wrote, by key, that
	// a restart of its failed details links to (set by Restart).
	MasterIDs string `json:"masterIds,omitempty"`
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
	// SettingFailedOnly is a restart's choice of sending only the failed
	// rows again.
	SettingFailedOnly = "failedOnly"
)

// object is the object to import into.
func (r *Request) object() string {
	if r.Object != "" {
		return r.Object
	}
	return r.Mapping.Object
}

// check validates what can be checked without the CRM or the files'
// contents, and normalizes the mode.
func (r *Request) check() error {
	if err := checkCommon(r.CRM, r.object() != "", string(r.Mapping.Mode), r.BatchSize, r.MaxFileMB); err != nil {
		return err
	}
	r.Mapping.Mode = mapping.Mode(strings.ToLower(string(r.Mapping.Mode)))
	r.Details = slices.Clone(r.Details)
	for i := range r.Details {
		if r.Details[i].MasterColumn == "" {
			r.Details[i].MasterColumn = r.MasterKey
		}
	}
	if r.MasterKey != "" && len(r.Details) == 0 {
		return apperr.New(apperr.Invalid, "a master key column is given but no detail file").For(SettingDetails)
	}
	return checkFiles(r.Files)
}

// checkCommon checks the settings a Request and a Form share, in the
// order a person reads them.
func checkCommon(crm string, hasObject bool, mode string, batchSize, maxFileMB int) error {
	if strings.TrimSpace(crm) == "" {
		return apperr.New(apperr.Invalid, "no CRM given: name one (a saved connection, a postgres:// URL, sandbox or sandbox:PATH)").For(SettingCRM)
	}
	if !hasObject {
		return apperr.New(apperr.Invalid, "no object given: name the object to import into (Account, Contact, …)").For(SettingObject)
	}
	switch strings.ToLower(mode) {
	case "", "insert", "update", "upsert":
	default:
		return apperr.New(apperr.Invalid, "the mode must be insert, update or upsert, not %q", mode).For(SettingMode)
	}
	if batchSize < 0 || batchSize > 1_000_000 {
		return apperr.New(apperr.Invalid, "the batch size must be between 1 and 1,000,000, not %d", batchSize).For(SettingBatchSize)
	}
	if maxFileMB < 0 {
		return apperr.New(apperr.Invalid, "the file size limit (MB) must be positive, not %d", maxFileMB).For(SettingMaxFileMB)
	}
	return nil
}

// checkFiles checks that there are files and each can be read.
func checkFiles(files []string) error {
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

// format is how to read the file at path.
func (r *Request) format(path string) source.Format {
	return r.Formats[path]
}

// checkReadable gives a missing or unreadable file one clear line.
func checkReadable(path string) error {
	if err := source.CheckRegular(path); err != nil {
		return FileError(path, err)
	}
	return nil
}
