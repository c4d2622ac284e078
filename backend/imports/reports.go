package imports

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"

	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/store"
)

// Report is one object's error report of an import job.
type Report struct {
	// Object is the API name of the object whose failing rows it holds.
	Object string `json:"object"`
	// Path is the report's path.
	Path string `json:"path"`
	// Rows is the failing rows it holds.
	Rows int64 `json:"rows"`
}

// masterIDsSuffix names, next to a master–detail job's report, the masters
// written whose details failed (key → record ID), for a restart.
const masterIDsSuffix = ".master-ids.json"

// JobReports lists the error reports of the import job j that exist: the
// master's (or only object's) first, then each detail object's. A
// master–detail job writes <name>.csv for the master and <name>.<Object>.csv
// for each detail next to it; j.ErrorReport is the master's, or the first
// detail's when no master row failed.
func JobReports(j store.Job) []Report {
	if j.ErrorReport == "" {
		return nil
	}
	base := reportBase(j)
	dir, ext := filepath.Dir(base), filepath.Ext(base)
	stem := strings.TrimSuffix(filepath.Base(base), ext)
	var out []Report
	if fileExists(base) {
		out = append(out, Report{Object: j.Object, Path: base, Rows: countRows(base)})
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || len(name) <= len(stem)+1+len(ext) || !strings.HasPrefix(name, stem+".") || !strings.HasSuffix(name, ext) {
			continue
		}
		obj := strings.TrimSuffix(strings.TrimPrefix(name, stem+"."), ext)
		if obj == "" || strings.Contains(obj, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		out = append(out, Report{Object: obj, Path: p, Rows: countRows(p)})
	}
	return out
}

// reportBase is the master's report path of j (which may not exist).
func reportBase(j store.Job) string {
	var set Form // the details of a Request and of a Form alike
	_ = json.Unmarshal(j.Settings, &set)
	ext := filepath.Ext(j.ErrorReport)
	stem := strings.TrimSuffix(j.ErrorReport, ext)
	for _, d := range set.details() {
		suffix := "." + d.Object
		if len(stem) > len(suffix) && strings.EqualFold(stem[len(stem)-len(suffix):], suffix) {
			return stem[:len(stem)-len(suffix)] + ext
		}
	}
	return j.ErrorReport
}

// writeMasterIDs keeps a master–detail job's res.MasterIDs next to its
// master report (nothing when there are none).
func writeMasterIDs(masterReport string, res pipeline.Result) error {
	if masterReport == "" || len(res.MasterIDs) == 0 {
		return nil
	}
	b, err := json.Marshal(res.MasterIDs)
	if err != nil {
		return err
	}
	return os.WriteFile(masterIDsPath(masterReport), b, 0o600)
}

func masterIDsPath(masterReport string) string {
	return strings.TrimSuffix(masterReport, filepath.Ext(masterReport)) + masterIDsSuffix
}

// readMasterIDs reads what writeMasterIDs wrote at path (nil when none).
func readMasterIDs(path string) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ids map[string]string
	return ids, json.Unmarshal(b, &ids)
}

// countRows is the records of a report after its header (0 when unreadable).
func countRows(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord, r.ReuseRecord = -1, true
	var n int64
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		} else if err != nil {
			return n
		}
		n++
	}
	return max(n-1, 0)
}
