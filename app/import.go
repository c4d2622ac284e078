package app

import (
	"time"

	"batchdesk/backend/imports"
)

// StartValidate validates req's files against the object (and checks
// lookups and keys against the CRM, read-only) as a job; it returns the
// job's ID at once. Failing rows appear in GetProblems as they are found.
func (a *ImportAPI) StartValidate(req ImportRequest) (string, error) {
	if err := a.checkFiles(req); err != nil {
		return "", err
	}
	set := importSettings(req)
	set.ValidateOnly = true
	return a.startImport(set)
}

// StartRehearse runs req's whole load in one transaction on the CRM and
// rolls it back, as a job; it returns the job's ID at once.
func (a *ImportAPI) StartRehearse(req ImportRequest) (string, error) {
	if err := a.checkFiles(req); err != nil {
		return "", err
	}
	set := importSettings(req)
	set.Rehearse = true
	return a.startImport(set)
}

// StartImport imports req's files as a job; it returns the job's ID at
// once. The job can be canceled (CancelJob) and resumed (ResumeJob, or
// `batchdesk jobs resume ID`).
func (a *ImportAPI) StartImport(req ImportRequest) (string, error) {
	if err := a.checkFiles(req); err != nil {
		return "", err
	}
	return a.startImport(importSettings(req))
}

// checkFiles refuses, in browser mode, a request naming a file outside
// the allowed folders.
func (a *ImportAPI) checkFiles(req ImportRequest) error {
	if a.files == nil {
		return nil
	}
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	if _, err := a.resolve(ctx, req.Connection); err != nil {
		return fail(err)
	}
	if err := a.files.checkRefs(req.Files); err != nil {
		return fail(err)
	}
	for _, d := range req.Details {
		if err := a.files.checkRefs(d.Files); err != nil {
			return fail(err)
		}
	}
	return nil
}

// startImport starts a job on the app's context (it outlives the call).
func (a *App) startImport(set imports.Settings) (string, error) {
	id, err := a.imports.Start(a.ctx, set)
	return id, fail(err)
}

// GetProblems returns one page of a job's failing rows (original cells in
// header order, problems per cell), filtered by problem code and column,
// with the counts by code and by column. Done is false while the job runs.
func (a *ImportAPI) GetProblems(jobID string, q ProblemQuery) (ProblemPage, error) {
	ctx, cancel := a.call(time.Minute)
	defer cancel()
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	p, err := a.imports.Problems(ctx, jobID, q.Offset, q.Limit, q.Code, q.Column)
	return p, fail(err)
}

// importSettings is an import request as a job's settings: the mapping is
// used as it comes (no auto-matching); BatchSize 0 takes the setting.
func importSettings(req ImportRequest) imports.Settings {
	m := req.Mapping
	set := imports.Settings{CRM: req.Connection, Object: req.Object, Mode: string(m.Mode), Key: m.Key,
		Mapping: &m, BatchSize: req.BatchSize, MasterKey: req.MasterKey}
	set.Files, set.Formats = fileRefs(req.Files, nil)
	for _, d := range req.Details {
		dm := d.Mapping
		var files []string
		files, set.Formats = fileRefs(d.Files, set.Formats)
		set.DetailFiles = append(set.DetailFiles, imports.DetailFiles{Object: d.Object, Files: files,
			Mapping: &dm, MasterColumn: d.MasterColumn})
	}
	return set
}

// fileRefs splits file references into paths and, for those read with a
// chosen encoding or delimiter, formats (added to formats).
func fileRefs(refs []FileRef, formats map[string]imports.Format) ([]string, map[string]imports.Format) {
	paths := make([]string, 0, len(refs))
	for _, r := range refs {
		paths = append(paths, r.Path)
		if r.Encoding == "" && r.Delimiter == "" {
			continue
		}
		if formats == nil {
			formats = map[string]imports.Format{}
		}
		formats[r.Path] = r.format()
	}
	return paths, formats
}

// format is how to read the file.
func (r FileRef) format() imports.Format {
	return imports.Format{Encoding: r.Encoding, Delimiter: r.Delimiter}
}
