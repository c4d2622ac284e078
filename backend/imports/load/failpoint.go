package load

import failpointpkg "batchdesk/backend/failpoint"

// Failpoint names, for BATCHDESK_FAILPOINT=name:N (tests of kill and resume).
// At the named point of batch N (Batch.Seq) the process kills itself with
// SIGKILL, as `kill -9` would.
const (
	// FailMidCopy: halfway through sending batch N's rows (COPY on
	// PostgreSQL, the INSERT loop on the sandbox), before commit.
	FailMidCopy = "mid-copy"
	// FailAfterCommit: just after batch N (rows + ledger) committed.
	FailAfterCommit = "after-commit"
	// FailDuringBisect: while batch N is being split to isolate bad rows,
	// after a good half was written but before the batch commits.
	FailDuringBisect = "during-bisect"
)

// FailpointEnv is the environment variable read by the failpoints.
const FailpointEnv = failpointpkg.Env

// failHook, when set, is called at every failpoint (tests).
var failHook func(name string, seq int)

// SetFailpointHook makes every failpoint call fn (name, batch Seq) in the
// loading goroutine, e.g. to cut the connection mid-COPY; it returns a func
// that removes the hook. For tests; not safe to call while loading.
func SetFailpointHook(fn func(name string, seq int)) (restore func()) {
	old := failHook
	failHook = fn
	return func() { failHook = old }
}

// failpoint kills the process when the failpoint name:seq is armed.
func failpoint(name string, seq int) {
	if failHook != nil {
		failHook(name, seq)
	}
	failpointpkg.Hit(name, seq)
}
