package load

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

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
const FailpointEnv = "BATCHDESK_FAILPOINT"

var failName, failSeq = parseFailpoint(os.Getenv(FailpointEnv))

func parseFailpoint(v string) (string, int) {
	name, n, ok := strings.Cut(v, ":")
	if !ok {
		return "", 0
	}
	seq, err := strconv.Atoi(n)
	if err != nil {
		return "", 0
	}
	return name, seq
}

// failpoint kills the process when the failpoint name:seq is armed.
func failpoint(name string, seq int) {
	if failName == "" || name != failName || seq != failSeq {
		return
	}
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way
}
