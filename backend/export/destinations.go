package export

import (
	"context"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
	"batchdesk/backend/destination/local"
	"batchdesk/backend/workspace"
)

// DefaultDestinations resolves a --to value: a folder on this computer.
func DefaultDestinations(ws *workspace.Workspace) OpenDestination {
	return func(ctx context.Context, spec string) (destination.Destination, error) {
		if strings.Contains(spec, "://") {
			return nil, apperr.New(apperr.Invalid, "destination %q: only a folder is supported in this build", truncate(withoutPassword(spec)))
		}
		return local.New(spec)
	}
}
