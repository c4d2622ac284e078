package deletion

import failpointpkg "batchdesk/backend/failpoint"

// Failpoint names, for BATCHDESK_FAILPOINT=name:N (tests of kill and
// resume). At the named point the process kills itself with SIGKILL, as
// `kill -9` would; N is the batch number (0 for the backup).
const (
	// FailMidBatch: batch N's rows are deleted, its transaction not committed.
	FailMidBatch = "delete-mid-batch"
	// FailAfterCommit: just after batch N committed.
	FailAfterCommit = "delete-after-commit"
	// FailDuringBackup: the ids are captured, the backup is being written.
	FailDuringBackup = "delete-during-backup"
)

// FailpointEnv is the environment variable read by the failpoints (the
// import's, too).
const FailpointEnv = failpointpkg.Env

func failpoint(name string, seq int) { failpointpkg.Hit(name, seq) }

// beforeCommit, when set (by tests), runs in each batch's transaction just
// before its commit, with the batch's number.
var beforeCommit func(seq int)
