package jobs

import (
	"testing"
	"time"

	"batchdesk/backend/store"
)

func TestSummarize(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now := t0.Add(time.Hour)
	cases := []struct {
		name string
		job  store.Job
		want Figures
	}{
		{"not started", store.Job{Status: store.StatusQueued}, Figures{}},
		{"done", store.Job{Status: store.StatusDone, Succeeded: 75, Failed: 25, StartedAt: t0, FinishedAt: t0.Add(2500 * time.Millisecond)},
			Figures{Seconds: 2.5, Processed: 100, SuccessRate: 0.75, HasRate: true, RowsPerSec: 40}},
		{"running counts to now", store.Job{Status: store.StatusRunning, Succeeded: 3600, StartedAt: t0},
			Figures{Seconds: 3600, Processed: 3600, SuccessRate: 1, HasRate: true, RowsPerSec: 1}},
		{"milliseconds", store.Job{Status: store.StatusDone, StartedAt: t0, FinishedAt: t0.Add(1234567 * time.Microsecond)},
			Figures{Seconds: 1.235}},
		{"canceled is resumable", store.Job{Status: store.StatusCanceled}, Figures{Resumable: true}},
		{"interrupted is resumable", store.Job{Status: store.StatusInterrupted}, Figures{Resumable: true}},
		{"failed is not", store.Job{Status: store.StatusFailed, Failed: 1, StartedAt: t0, FinishedAt: t0},
			Figures{Processed: 1, HasRate: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Summarize(c.job, now); got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
