package jobs

import (
	"context"
	"time"

	"batchdesk/backend/store"
)

// Active reports whether job id is still going: running in a live process
// (this one or another), or queued in the last ten minutes (about to start).
// Unlike Recover it writes nothing, so it is safe to ask while other
// processes' jobs end. An unknown ID gives code NotFound.
func (r *Registry) Active(ctx context.Context, id string) (bool, error) {
	j, err := r.store.GetJob(ctx, id)
	if err != nil {
		return false, err
	}
	switch j.Status {
	case store.StatusRunning:
		o, ok := r.owner(ctx, id)
		return ok && o.alive(), nil
	case store.StatusQueued:
		return r.opt.Now().Sub(j.CreatedAt) < 10*time.Minute, nil
	}
	return false, nil
}
