package jobs

import (
	"context"

	"batchdesk/backend/store"
)

// SetFiles records a job's files: an export's published files (with their
// rows, bytes and SHA-256), replacing what the job had.
func (r *Registry) SetFiles(ctx context.Context, id string, files []store.JobFile) error {
	return r.store.SetJobFiles(ctx, id, files)
}
