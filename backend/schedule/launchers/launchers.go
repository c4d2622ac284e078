// Package launchers says which job each kind of schedule starts: one
// schedule.Launcher per kind (export, delete), built over the app's
// workspace and job registry. The window, `batchdesk serve` and
// `batchdesk scheduler` all take their launchers from For, so a kind added
// here runs everywhere.
//
// In: the open workspace and the registry the jobs run in. Out: a
// schedule.Launchers map. Errors are the launchers' own, at run time.
package launchers

import (
	"batchdesk/backend/jobs"
	"batchdesk/backend/schedule"
	"batchdesk/backend/workspace"
)

// For returns the launchers of every kind this build can run.
func For(ws *workspace.Workspace, reg *jobs.Registry) schedule.Launchers {
	return schedule.Launchers{}
}
