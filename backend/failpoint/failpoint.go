// Package failpoint lets kill-and-resume tests stop a process at a named
// point, as `kill -9` would: with BATCHDESK_FAILPOINT=name:N in the
// environment, Hit(name, N) kills the process with SIGKILL. Each package
// that has failpoints names its own (load's "mid-copy", export's
// "export-mid-file", deletion's "delete-mid-batch", …) and says what N
// counts there.
//
// In: the environment variable, read on every call (cheap, and a test may
// set it). Out: nothing, or a process that is gone. No errors.
package failpoint

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Env is the environment variable that arms a failpoint.
const Env = "BATCHDESK_FAILPOINT"

// Armed reports whether the failpoint name:seq is armed.
func Armed(name string, seq int) bool {
	n, s, ok := strings.Cut(os.Getenv(Env), ":")
	if !ok || n != name {
		return false
	}
	k, err := strconv.Atoi(s)
	return err == nil && k == seq
}

// Kill kills the process with SIGKILL and does not return.
func Kill() {
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way
}

// Hit kills the process when the failpoint name:seq is armed.
func Hit(name string, seq int) {
	if Armed(name, seq) {
		Kill()
	}
}
