package jobs

import (
	"math"
	"time"

	"batchdesk/backend/store"
)

// Figures are what the history shows of a job beyond its stored counts:
// how long it ran, its success rate and its speed. The window's dashboard
// and `batchdesk jobs` both take them from Summarize, so they agree.
type Figures struct {
	// Seconds is the time from the run's start to its end (to now while it
	// runs), to the millisecond; 0 before it first starts.
	Seconds float64
	// Processed is the rows that succeeded or failed.
	Processed int64
	// SuccessRate is succeeded ÷ processed, 0..1; HasRate is false (and
	// SuccessRate 0) when no row was processed.
	SuccessRate float64
	HasRate     bool
	// RowsPerSec is processed ÷ Seconds; 0 when Seconds is 0.
	RowsPerSec float64
	// Resumable: the job stopped before its end and can continue
	// (interrupted or canceled).
	Resumable bool
}

// Summarize computes a job's figures at time now.
func Summarize(j store.Job, now time.Time) Figures {
	var f Figures
	if !j.StartedAt.IsZero() {
		end := j.FinishedAt
		if end.IsZero() {
			end = now
		}
		f.Seconds = math.Round(end.Sub(j.StartedAt).Seconds()*1000) / 1000
	}
	f.Processed = j.Succeeded + j.Failed
	if f.Processed > 0 {
		f.SuccessRate, f.HasRate = float64(j.Succeeded)/float64(f.Processed), true
		if f.Seconds > 0 {
			f.RowsPerSec = float64(f.Processed) / f.Seconds
		}
	}
	f.Resumable = Resumable(j.Status)
	return f
}

// Resumable reports whether a job with this status can be resumed.
func Resumable(status string) bool {
	return status == store.StatusInterrupted || status == store.StatusCanceled
}
