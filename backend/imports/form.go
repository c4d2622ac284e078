package imports

import (
	"encoding/json"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/pipeline"
)

// Form is an import as the command line asks for it — a preset, "Header=
// field" maps on top of auto-matching, OBJECT=FILE details sharing one
// master key column — and as jobs saved by an older Batchdesk hold it.
// Service.Complete turns it into the complete Request the window sends.
// The JSON shape is that of the jobs the command line has always saved.
type Form struct {
	// CRM is a PostgreSQL URL, a saved connection's name, "sandbox" or
	// "sandbox:PATH".
	CRM    string `json:"crm"`
	Object string `json:"object"`
	// Mode is insert, update or upsert ("" = insert, or upsert with a Key).
	Mode string `json:"mode,omitempty"`
	// Key is id, primary or a field's API name (update and upsert).
	Key string `json:"key,omitempty"`
	// Preset is a saved preset's name or a preset JSON file; PresetBody its
	// mapping as loaded (a job saved with it uses it instead of looking
	// again).
	Preset     string          `json:"preset,omitempty"`
	PresetBody json.RawMessage `json:"presetBody,omitempty"`
	// Maps are "Header=field" pairs on top of the preset or auto-matching
	// ("Header=" ignores the column).
	Maps []string `json:"maps,omitempty"`
	// Encoding and Delimiter override detection for every file ("" =
	// detect / sniff).
	Encoding  string `json:"encoding,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
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
	// DetailFiles are detail objects with their own files and master
	// column ("" = MasterKey), mapped automatically.
	DetailFiles []pipeline.Detail `json:"detailFiles,omitempty"`
	// MasterIDs is the file of masters an earlier job wrote (Request's).
	MasterIDs string   `json:"masterIds,omitempty"`
	Files     []string `json:"files"`
}

// check validates what can be checked without the CRM or the files'
// contents, and normalizes the mode.
func (f *Form) check() error {
	hasObject := strings.TrimSpace(f.Object) != "" || f.Preset != "" || f.PresetBody != nil
	if err := checkCommon(f.CRM, hasObject, f.Mode, f.BatchSize, f.MaxFileMB); err != nil {
		return err
	}
	f.Mode = strings.ToLower(f.Mode)
	for _, m := range f.Maps {
		if _, _, err := parseMap(m); err != nil {
			return err
		}
	}
	for _, d := range f.Details {
		if _, _, err := splitDetail(d); err != nil {
			return err
		}
	}
	// A preset may name the master key column (checked once it is loaded).
	if len(f.Details) > 0 && f.MasterKey == "" && f.Preset == "" && f.PresetBody == nil {
		return errNoMasterKey()
	}
	if f.MasterKey != "" && len(f.Details) == 0 && len(f.DetailFiles) == 0 {
		return apperr.New(apperr.Invalid, "a master key column is given but no detail file").For(SettingDetails)
	}
	return checkFiles(f.Files)
}

func errNoMasterKey() error {
	return apperr.New(apperr.Invalid, "detail files need the master key column: the detail files' column that holds the master's key").For(SettingMasterKey)
}

// details returns Details and DetailFiles as one list, each with its
// master column.
func (f *Form) details() []pipeline.Detail { return f.detailsWith(nil) }

// masterKey is the master file's key column: MasterKey, else the preset's.
func (f *Form) masterKey(preset *mapping.Preset) string {
	if f.MasterKey == "" && preset != nil {
		return preset.MasterKey
	}
	return f.MasterKey
}

// detailsWith is details with the master column of each OBJECT=FILE
// taken, when MasterKey is not given, from the preset's detail of that
// object (else the preset's master key column).
func (f *Form) detailsWith(preset *mapping.Preset) []pipeline.Detail {
	var out []pipeline.Detail
	for _, d := range f.Details {
		obj, file, _ := splitDetail(d)
		col := f.masterKey(preset)
		if dp := presetDetail(preset, obj); f.MasterKey == "" && dp != nil {
			col = dp.MasterColumn
		}
		out = append(out, pipeline.Detail{Object: obj, Files: []string{file}, MasterColumn: col})
	}
	for _, d := range f.DetailFiles {
		if d.MasterColumn == "" {
			d.MasterColumn = f.masterKey(preset)
		}
		out = append(out, d)
	}
	return out
}

// presetDetail is the preset's detail of object (nil when none).
func presetDetail(preset *mapping.Preset, object string) *mapping.DetailPreset {
	if preset == nil {
		return nil
	}
	for i := range preset.Details {
		if strings.EqualFold(preset.Details[i].Object, object) {
			return &preset.Details[i]
		}
	}
	return nil
}

// parseMap reads one --map "Header=field" pair (mapping.ParseMapFlag: split at
// the last '=', "Header=" unmaps the column), coded Invalid.
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
		return "", "", apperr.New(apperr.Invalid, "%q is not a detail file: write it as OBJECT=FILE, e.g. OpportunityLine=lines.csv", s).For(SettingDetails)
	}
	return strings.TrimSpace(o), strings.TrimSpace(f), nil
}
