package app

import (
	"fmt"
	"os"

	"batchdesk/backend/schedule"
	"batchdesk/backend/schedule/launchers"
)

// startScheduler runs due schedules in this process (the window, `batchdesk
// serve`) until Shutdown; their jobs run in the app's registry, so the
// dashboard shows them live. Other processes on the same data folder may
// run schedules too: each run is claimed once.
func (a *App) startScheduler() {
	r := schedule.NewRunner(a.ws.Store, launchers.For(a.ws, a.jobs), a.jobs, schedule.Options{
		Log: func(res schedule.Result) {
			fmt.Fprintf(os.Stderr, "batchdesk: schedule %s due %s: %s %s %s\n", res.Schedule.ID,
				res.Due.UTC().Format("2006-01-02T15:04Z"), res.Outcome, res.JobID, res.Note)
		}})
	go func() { _ = r.Run(a.ctx) }()
}
