package app

import (
	"time"

	"batchdesk/backend/imports"
	"batchdesk/backend/ingest/pipeline"
	"batchdesk/backend/ingest/source"
)

// StartValidate validates req's files against the object (and checks
// lookups and keys against the CRM, read-only) as a job; it returns the
// job's ID at once. Failing rows appear in GetProblems as they are found.
func (a *ImportAPI) StartValidate(req ImportRequest) (string, error) {
	return a.startImport(req, func(r *imports.Request) { r.ValidateOnly = true })
}

// StartRehearse runs req's whole load in one transaction on the CRM and
// rolls it back, as a job; it returns the job's ID at once.
func (a *ImportAPI) StartRehearse(req ImportRequest) (string, error) {
	return a.startImport(req, func(r *imports.Request) { r.Rehearse = true })
}

// StartImport imports req's files as a job; it returns the job's ID at
// once. The job can be canceled (CancelJob) and resumed (ResumeJob, or
// `batchdesk jobs resume ID`).
func (a *ImportAPI) StartImport(req ImportRequest) (string, error) {
	return a.startImport(req, func(*imports.Request) {})
}

// startImport checks req's files, converts it, lets how mark what kind of
// run it is and starts the job on the app's context (it outlives the
// call).
func (a *ImportAPI) startImport(req ImportRequest, how func(*imports.Request)) (string, error) {
	if err := a.checkFiles(req); err != nil {
		return "", err
	}
	r, err := importRequest(req)
	if err != nil {
		return "", fail(err)
	}
	how(&r)
	id, err := a.imports.Start(a.ctx, r)
	return id, fail(err)
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

// importRequest is the page's import request as the service's: the
// mapping used as it comes (no auto-matching); BatchSize 0 takes the
// setting; each file's encoding and delimiter parsed.
func importRequest(req ImportRequest) (imports.Request, error) {
	r := imports.Request{CRM: req.Connection, Object: req.Object, Mapping: req.Mapping,
		BatchSize: req.BatchSize, MasterKey: req.MasterKey}
	var err error
	if r.Files, err = fileRefs(req.Files, &r.Formats); err != nil {
		return r, err
	}
	for _, d := range req.Details {
		files, err := fileRefs(d.Files, &r.Formats)
		if err != nil {
			return r, err
		}
		r.Details = append(r.Details, pipeline.Detail{Object: d.Object, Files: files, Mapping: d.Mapping, MasterColumn: d.MasterColumn})
	}
	return r, nil
}

// fileRefs splits file references into paths and, for those read with a
// chosen encoding or delimiter, formats (added to *formats).
func fileRefs(refs []FileRef, formats *map[string]source.Format) ([]string, error) {
	paths := make([]string, 0, len(refs))
	for _, r := range refs {
		paths = append(paths, r.Path)
		f, err := r.format()
		if err != nil {
			return nil, err
		}
		if f == (source.Format{}) {
			continue
		}
		if *formats == nil {
			*formats = map[string]source.Format{}
		}
		(*formats)[r.Path] = f
	}
	return paths, nil
}

// format is how to read the file.
func (r FileRef) format() (source.Format, error) {
	return imports.ParseFormat(r.Encoding, r.Delimiter)
}
