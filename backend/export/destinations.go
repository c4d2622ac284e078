package export

import (
	"batchdesk/backend/workspace"
)

// DefaultDestinations resolves a --to value with the workspace's
// destinations: a saved destination's name (secrets from the keyring), a
// folder, or an oss://, ftp:// or sftp:// URL (secrets from the
// environment).
func DefaultDestinations(ws *workspace.Workspace) OpenDestination {
	return ws.Dests.Resolve
}
