// Package jobs is the job registry: it runs long operations (imports,
// exports, deletes) in their own goroutine with their own cancelable context,
// records every run in the app store's history, and reports progress as
// throttled events.
//
// In: a Spec (kind, connection, object, settings, files) and a Func that does
// the work and calls report(Progress) as often as it likes. Out: a job ID at
// once; `job:progress` events at most once per Options.Interval (about 100 ms)
// per job, plus a guaranteed final one; one `job:finished` event; and the
// job's row in the store moving queued → running → done | failed | canceled
// (or interrupted, when the process died and Recover ran later).
//
// Cancelling is an outcome, not an error: a Func that returns because its
// context was canceled (or that returns Outcome.Canceled) ends with status
// canceled, and the job stays resumable. Cancel works across processes: a
// job running in another Batchdesk process is asked to stop through the
// store, which that process polls (Options.PollInterval).
//
// Errors: unknown job IDs give *apperr.Error code NotFound; cancelling or
// starting a job in a state that does not allow it gives code Conflict.
package jobs

import (
	"context"
	"encoding/json"

	"batchdesk/backend/store"
)

// Event names emitted by the registry.
const (
	EventProgress = "job:progress"
	EventFinished = "job:finished"
)

// Emitter receives job events; app/ forwards them to the window (Wails
// runtime events) or to `batchdesk serve`'s event stream.
type Emitter interface {
	Emit(name string, payload any)
}

// EmitterFunc adapts a function to Emitter.
type EmitterFunc func(name string, payload any)

// Emit calls f.
func (f EmitterFunc) Emit(name string, payload any) { f(name, payload) }

// Progress is what a job function reports while it runs. Counts are
// cumulative for the run; BytesRead/BytesTotal give progress through the
// input when the row total is not known yet.
type Progress struct {
	Total      int64
	Done       int64
	Succeeded  int64
	Failed     int64
	BytesRead  int64
	BytesTotal int64
	Message    string
}

// Outcome is how a job function ended.
type Outcome struct {
	Total       int64
	Succeeded   int64
	Failed      int64
	Added       int64  // of an import's Succeeded: records inserted
	Updated     int64  // of an import's Succeeded: records updated
	ErrorReport string // path of the error report CSV, "" when none
	Message     string // a sentence for the history, "" for a default
	Canceled    bool   // the job stopped early because it was canceled
	// Interrupted: the job stopped on a lost connection and can be resumed
	// (status interrupted rather than failed; the Func's error is kept).
	Interrupted bool
}

// Func does a job's work. It returns when done, when ctx is canceled (then
// with Outcome.Canceled or ctx's error: both mean status canceled), or with
// an error when it could not run to its end (status failed).
type Func func(ctx context.Context, report func(Progress)) (Outcome, error)

// Spec describes a new job.
type Spec struct {
	Kind       string // store.JobImport, store.JobExport or store.JobDelete
	Connection string // the CRM connection's name or description, never a password
	Object     string
	// Settings are what the job needs to run again (resume, restart): any
	// value that encodes to a JSON object, or a json.RawMessage.
	Settings any
	Files    []store.JobFile
}

// Event is the payload of job:progress and job:finished.
type Event struct {
	JobID      string  `json:"jobId"`
	Kind       string  `json:"kind"`
	Status     string  `json:"status"`
	Total      int64   `json:"total"`
	Done       int64   `json:"done"`
	Succeeded  int64   `json:"succeeded"`
	Failed     int64   `json:"failed"`
	BytesRead  int64   `json:"bytesRead"`
	BytesTotal int64   `json:"bytesTotal"`
	RowsPerSec float64 `json:"rowsPerSec"`
	Message    string  `json:"message"`
}

// Detail is one job with its event log, for `jobs show` and the dashboard.
type Detail struct {
	store.Job
	Events []store.JobEvent
}

// encodeSettings turns Spec.Settings into JSON.
func encodeSettings(v any) (json.RawMessage, error) {
	switch s := v.(type) {
	case nil:
		return json.RawMessage("{}"), nil
	case json.RawMessage:
		return s, nil
	case []byte:
		return json.RawMessage(s), nil
	}
	return json.Marshal(v)
}
