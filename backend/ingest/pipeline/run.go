package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/ingest/load"
	"batchdesk/backend/ingest/mapping"
)

// DefaultBatchSize is the rows per batch when Request.BatchSize is 0.
const DefaultBatchSize = 5000

// job is the shared state of one run: counters, report tallies, progress.
type job struct {
	req        Request
	resume     bool
	bytesTotal int64
	bytesDone  atomic.Int64 // bytes of finished files
	fileRead   atomic.Int64 // bytes read of the current file (by its reader)
	rows       atomic.Int64
	ok         atomic.Int64
	added      atomic.Int64 // of ok: records inserted
	updated    atomic.Int64 // of ok: records updated
	failed     atomic.Int64
	blank      atomic.Int64 // rows skipped: all cells empty
	phase      atomic.Value
	mu         sync.Mutex
	byCode     map[string]int64
	byColumn   map[string]int64
	seq        int // batches numbered so far in the current stage
	// rehearsal is the transaction all stages rehearse in (Rehearse only).
	rehearsal *load.Rehearsal
}

func (j *job) tally(cols, codes []string) {
	j.mu.Lock()
	for _, c := range codes {
		j.byCode[c]++
	}
	for _, c := range cols {
		if c != "" {
			j.byColumn[c]++
		}
	}
	j.mu.Unlock()
}

func (j *job) progress() Progress {
	read := j.bytesDone.Load() + j.fileRead.Load()
	return Progress{Phase: j.phase.Load().(string), BytesRead: min(read, j.bytesTotal), BytesTotal: j.bytesTotal,
		Rows: j.rows.Load(), Succeeded: j.ok.Load(), Failed: j.failed.Load()}
}

func run(ctx context.Context, req Request, progress func(Progress), resume bool) (Result, error) {
	if err := checkRequest(&req); err != nil {
		return Result{}, err
	}
	j := &job{req: req, resume: resume, byCode: map[string]int64{}, byColumn: map[string]int64{}}
	j.phase.Store(PhaseValidate)
	if !req.ValidateOnly {
		j.phase.Store(PhaseLoad)
	}
	all := append([]string(nil), req.Files...)
	for _, d := range req.Details {
		all = append(all, d.Files...)
	}
	for _, p := range all {
		if st, err := statSize(p); err == nil {
			j.bytesTotal += st
		}
	}
	stamps, err := j.stampFiles(ctx, all)
	if err != nil {
		return Result{}, err
	}
	stop := j.reportProgress(progress)
	res, err := j.stages(ctx)
	if stamps != nil {
		stamps()
	}
	j.phase.Store(PhaseDone)
	stop()
	res.Total, res.Succeeded, res.Failed = j.rows.Load(), j.ok.Load(), j.failed.Load()
	res.Blank = j.blank.Load()
	res.Added, res.Updated = j.added.Load(), j.updated.Load()
	res.ProblemsByCode, res.ProblemsByColumn = j.byCode, j.byColumn
	res.Interrupted = errors.Is(err, load.ErrInterrupted)
	return res, err
}

func checkRequest(req *Request) error {
	switch {
	case req.Target == nil && !req.ValidateOnly:
		return apperr.New(apperr.Invalid, "no CRM to import into")
	case req.Target == nil:
		return apperr.New(apperr.Invalid, "validation needs the CRM's metadata: no CRM given")
	case req.Object == "" && req.Mapping.Object == "":
		return apperr.New(apperr.Invalid, "no target object")
	case len(req.Files) == 0:
		return apperr.New(apperr.Invalid, "no file to import")
	}
	if req.Object == "" {
		req.Object = req.Mapping.Object
	}
	if req.BatchSize <= 0 {
		req.BatchSize = DefaultBatchSize
	}
	if req.Workers <= 0 {
		req.Workers = runtime.NumCPU()
	}
	if req.Rehearse || req.Target.Kind() == crm.KindSandbox {
		req.Workers = 1
	}
	if req.Zone == nil {
		req.Zone = time.Local
	}
	return nil
}

// stampFiles checks the files on resume and records them on a first run.
// The returned func (nil when nothing to do) finishes recording the
// content hashes, computed while the job runs.
func (j *job) stampFiles(ctx context.Context, files []string) (func(), error) {
	req := j.req
	if req.JobID == "" || req.ValidateOnly || req.Rehearse {
		return nil, nil
	}
	if j.resume {
		stamps := make([]load.FileStamp, len(files))
		for i, p := range files {
			st, err := load.Stamp(p)
			if err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "cannot read %s: %v", p, err)
			}
			stamps[i] = st
		}
		return nil, load.CheckFiles(ctx, req.Target, req.JobID, stamps)
	}
	quick := make([]load.FileStamp, len(files))
	for i, p := range files {
		st, err := quickStamp(p)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "cannot read %s: %v", p, err)
		}
		quick[i] = st
	}
	if known := withHashes(quick, req.Hashes); known != nil {
		// The caller hashed every file already: record the full stamps now.
		return nil, load.RecordFiles(ctx, req.Target, req.JobID, known)
	}
	if err := load.RecordFiles(ctx, req.Target, req.JobID, quick); err != nil {
		return nil, err
	}
	done := make(chan []load.FileStamp, 1)
	go func() {
		full := make([]load.FileStamp, 0, len(files))
		for _, p := range files {
			st, err := load.Stamp(p)
			if err != nil {
				done <- nil
				return
			}
			full = append(full, st)
		}
		done <- full
	}()
	return func() {
		if full := <-done; full != nil {
			_ = load.RecordFiles(context.WithoutCancel(ctx), req.Target, req.JobID, full)
		}
	}, nil
}

// withHashes completes quick stamps with the caller's hashes, or returns nil
// when any file has none.
func withHashes(quick []load.FileStamp, hashes map[string]string) []load.FileStamp {
	if len(hashes) == 0 {
		return nil
	}
	full := make([]load.FileStamp, len(quick))
	for i, st := range quick {
		h, ok := hashes[st.Path]
		if !ok || h == "" {
			return nil
		}
		st.SHA256 = h
		full[i] = st
	}
	return full
}

// ProgressInterval is how often Run reports progress while a job runs.
const ProgressInterval = 100 * time.Millisecond

// reportProgress calls fn every ProgressInterval until stop, then once more.
func (j *job) reportProgress(fn func(Progress)) (stop func()) {
	if fn == nil {
		return func() {}
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(ProgressInterval)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				fn(j.progress())
			}
		}
	}()
	return func() {
		close(quit)
		wg.Wait()
		fn(j.progress())
	}
}

// stages runs the master (or only) object, then the details.
func (j *job) stages(ctx context.Context) (Result, error) {
	req := j.req
	var res Result
	var keys *load.KeyMap
	if len(req.Details) > 0 {
		if req.MasterKey == "" {
			return res, apperr.New(apperr.Invalid, "a master–detail import needs the master key column: the master file's column holding each master's key")
		}
		keys = load.NewKeyMap()
		for k, id := range req.MasterIDs {
			keys.Set(k, id)
		}
	}
	master, err := req.Target.Object(ctx, req.Object)
	if err != nil {
		return res, apperr.Wrap(err, apperr.Invalid, "the CRM has no object %q", req.Object)
	}
	if req.Rehearse {
		if j.rehearsal, err = load.BeginRehearsal(ctx, req.Target); err != nil {
			return res, err
		}
		defer j.rehearsal.Close(ctx)
	}
	j.seq = 0
	path, err := j.stage(ctx, stageSpec{obj: master, mapping: req.Mapping, files: req.Files,
		report: req.ErrorsPath, masterKey: req.MasterKey, keys: keys})
	res.ErrorsFile = path.Path
	if path.Path != "" {
		res.ErrorsFiles = append(res.ErrorsFiles, path)
	}
	if err != nil {
		return res, err
	}
	for _, d := range req.Details {
		obj, err := req.Target.Object(ctx, d.Object)
		if err != nil {
			return res, apperr.Wrap(err, apperr.Invalid, "the CRM has no object %q", d.Object)
		}
		var link *catalog.Field
		for i := range obj.Fields {
			f := &obj.Fields[i]
			if f.Type.References() && strings.EqualFold(f.Target, master.APIName) && (link == nil || f.Type == catalog.MasterDetail) {
				link = f
			}
		}
		if link == nil {
			return res, apperr.New(apperr.Invalid, "%s has no field that refers to %s", obj.APIName, master.APIName)
		}
		j.seq = 0
		p, err := j.stage(ctx, stageSpec{obj: obj, mapping: detailMapping(d, obj, link), files: d.Files,
			report: DetailReportPath(req.ErrorsPath, obj.APIName), stage: "detail:" + obj.APIName, link: link, linkKeys: keys,
			masterColumn: d.MasterColumn, failedLinks: &res.MasterIDs})
		if res.ErrorsFile == "" {
			res.ErrorsFile = p.Path
		}
		if p.Path != "" {
			res.ErrorsFiles = append(res.ErrorsFiles, p)
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// DetailReportPath is where a detail object's error report goes next to
// the master's report at master: <name>.<object><ext> ("" when master is "").
func DetailReportPath(master, object string) string {
	if master == "" {
		return ""
	}
	ext := filepath.Ext(master)
	return strings.TrimSuffix(master, ext) + "." + object + nonEmpty(ext, ".csv")
}

// detailMapping is a detail's mapping with its master column mapped to the
// field that refers to the master (and no other column on that field).
func detailMapping(d Detail, obj *catalog.Object, link *catalog.Field) mapping.Mapping {
	m := d.Mapping
	m.Object, m.Mode, m.Key = obj.APIName, mapping.Insert, ""
	m.Columns = make(map[string]mapping.Column, len(d.Mapping.Columns)+1)
	for h, c := range d.Mapping.Columns {
		if strings.EqualFold(c.Field, link.APIName) || strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(d.MasterColumn)) {
			continue
		}
		m.Columns[h] = c
	}
	m.Columns[d.MasterColumn] = mapping.Column{Field: link.APIName}
	return m
}

func statSize(p string) (int64, error) {
	st, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func quickStamp(p string) (load.FileStamp, error) {
	st, err := os.Stat(p)
	if err != nil {
		return load.FileStamp{}, err
	}
	return load.FileStamp{Path: p, Size: st.Size(), ModTime: st.ModTime().UTC().Truncate(time.Microsecond)}, nil
}
