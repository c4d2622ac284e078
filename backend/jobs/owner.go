package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall"
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
