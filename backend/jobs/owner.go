package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// owner records which process runs a job, and whether another process has
// asked it to stop. It lives in the store's settings under ownerKey(id) so
// that `batchdesk jobs cancel` and crash recovery work across processes.
type owner struct {
	Host   string `json:"host"`
	PID    int    `json:"pid"`
	Cancel bool   `json:"cancel,omitempty"`
}

func ownerKey(id string) string { return "job.owner." + id }

// self is this process.
func self() owner {
	host, _ := os.Hostname()
	return owner{Host: host, PID: os.Getpid()}
}

// alive reports whether the owning process still runs. A process on another
// host (a shared data folder) is assumed alive.
func (o owner) alive() bool {
	if o.PID <= 0 {
		return false
	}
	if host, _ := os.Hostname(); o.Host != host {
		return true
	}
	if o.PID == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(o.PID)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// owner reads the job's owner; ok is false when none is recorded.
func (r *Registry) owner(ctx context.Context, id string) (owner, bool) {
	v, ok, err := r.store.GetSetting(ctx, ownerKey(id))
	if err != nil || !ok || v == "" {
		return owner{}, false
	}
	var o owner
	if json.Unmarshal([]byte(v), &o) != nil {
		return owner{}, false
	}
	return o, o.PID > 0
}

// setOwner records o as the job's owner; the zero owner clears it.
func (r *Registry) setOwner(ctx context.Context, id string, o owner) error {
	v := ""
	if o.PID > 0 {
		b, err := json.Marshal(o)
		if err != nil {
			return fmt.Errorf("encode job owner: %w", err)
		}
		v = string(b)
	}
	if err := r.store.SetSetting(ctx, ownerKey(id), v); err != nil {
		return fmt.Errorf("record job owner: %w", err)
	}
	return nil
}

// claim marks the job running and owned by this process in one store
// transaction, after checking that it may start: not done, and not running
// in a live process. Of two processes claiming the same job at once, the
// second sees the first's claim and is refused (code Conflict).
func (r *Registry) claim(ctx context.Context, id string) (store.Job, error) {
	me, err := json.Marshal(self())
	if err != nil {
		return store.Job{}, fmt.Errorf("encode job owner: %w", err)
	}
	return r.store.ClaimJob(ctx, id, ownerKey(id), string(me), func(j store.Job, current string) error {
		switch j.Status {
		case store.StatusDone:
			return apperr.New(apperr.Conflict, "job %s is done: restart it to run it again", id)
		case store.StatusRunning:
			var o owner
			if json.Unmarshal([]byte(current), &o) == nil && o.alive() {
				if o.PID == os.Getpid() {
					return apperr.New(apperr.Conflict, "job %s is already running", id)
				}
				return apperr.New(apperr.Conflict, "job %s is running in another Batchdesk process (pid %d)", id, o.PID)
			}
		}
		return nil
	})
}
