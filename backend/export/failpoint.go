package export

import (
	"bufio"

	"batchdesk/backend/failpoint"
)

// FailpointEnv names the failpoint of a kill test, as the import's
// BATCHDESK_FAILPOINT does: "export-mid-file:N" kills the process with
// SIGKILL, as `kill -9` would, once the N-th file of the export (counting
// the files inside a zip) has its header and first rows at the destination
// but is not published.
const FailpointEnv = failpoint.Env

// FailMidFile is the failpoint name.
const FailMidFile = "export-mid-file"

// failArmed reports whether the failpoint name:seq is set.
func failArmed(name string, seq int) bool { return failpoint.Armed(name, seq) }

// killer passes the first rows through to the destination, then kills the
// process.
type killer struct{ bw *bufio.Writer }

func (k *killer) Write(p []byte) (int, error) {
	n, err := k.bw.Write(p)
	if err == nil {
		err = k.bw.Flush()
	}
	if err == nil {
		failpoint.Kill()
	}
	return n, err
}
