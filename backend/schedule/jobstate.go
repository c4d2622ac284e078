package schedule

import (
	"context"
	"time"

	"batchdesk/backend/jobs"
	"batchdesk/backend/store"
)

// RegistryJobs is the JobState of the jobs registry: a job is still going
// while it runs in a live process (jobs whose process is gone are marked
// interrupted first), or while it is queued and was created in the last
// ten minutes (a launch under way).
type RegistryJobs struct {
	Registry *jobs.Registry
	Store    *store.Store
}

var _ JobState = RegistryJobs{}

// Active reports whether job id is still going.
func (j RegistryJobs) Active(ctx context.Context, id string) (bool, error) {
	if _, err := j.Registry.Recover(ctx); err != nil {
		return false, err
	}
	job, err := j.Store.GetJob(ctx, id)
	if err != nil {
		return false, err
	}
	switch job.Status {
	case store.StatusRunning:
		return true, nil
	case store.StatusQueued:
		return time.Since(job.CreatedAt) < 10*time.Minute, nil
	}
	return false, nil
}
