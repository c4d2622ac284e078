package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"batchdesk/backend/store"
)

// Filter narrows List: zero fields mean any; Limit 0 means 100.
type Filter = store.JobFilter

// List returns the history, newest first.
func (r *Registry) List(ctx context.Context, f Filter) ([]store.Job, error) {
	js, err := r.store.ListJobs(ctx, f)
	if err != nil {
		return nil, err
	}
	if js == nil {
		js = []store.Job{}
	}
	return js, nil
}

// Get returns one job with its event log, or code NotFound.
func (r *Registry) Get(ctx context.Context, id string) (Detail, error) {
	j, err := r.store.GetJob(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	evs, err := r.store.JobEvents(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	return Detail{Job: j, Events: evs}, nil
}

// Recover marks as interrupted (resumable) every job left queued or running
// by a process that is gone — a crash, a kill, a closed laptop. Jobs of
// live processes, including this one, are left alone. Call it at start-up
// and before listing the history. It returns how many jobs it marked.
func (r *Registry) Recover(ctx context.Context) (int, error) {
	n := 0
	for _, status := range []string{store.StatusRunning, store.StatusQueued} {
		js, err := r.store.ListJobs(ctx, store.JobFilter{Status: status, Limit: 10000})
		if err != nil {
			return n, err
		}
		for _, j := range js {
			r.mu.Lock()
			_, here := r.running[j.ID]
			r.mu.Unlock()
			if here {
				continue
			}
			o, ok := r.owner(ctx, j.ID)
			if status == store.StatusQueued && !ok {
				// queued and never started: a job another process is about
				// to start looks the same, so only stale ones are marked.
				continue
			}
			if ok && o.alive() {
				continue
			}
			msg := "interrupted: Batchdesk stopped while the job was running; resume to continue"
			// Conditional on the status read above: a job that ended in its
			// own process since then keeps how it ended.
			marked, err := r.store.InterruptJob(ctx, j.ID, status, msg)
			if err != nil {
				return n, err
			}
			if !marked {
				continue
			}
			r.event(j.ID, store.LevelWarn, msg)
			_ = r.setOwner(ctx, j.ID, owner{})
			n++
		}
	}
	return n, nil
}

// Fingerprint describes an input file for the job record: absolute path,
// size, modification time and the SHA-256 of its content, so a resume can
// refuse a file that changed.
func Fingerprint(path string) (store.JobFile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return store.JobFile{}, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	f, err := os.Open(abs)
	if err != nil {
		return store.JobFile{}, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return store.JobFile{}, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return store.JobFile{}, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	return store.JobFile{Path: abs, Size: st.Size(), ModTime: st.ModTime().UTC(),
		Fingerprint: hex.EncodeToString(h.Sum(nil))}, nil
}

// SameFile reports whether the file at f.Path still has f's size and
// content; an error means it cannot be read.
func SameFile(f store.JobFile) (bool, error) {
	now, err := Fingerprint(f.Path)
	if err != nil {
		return false, err
	}
	return now.Size == f.Size && now.Fingerprint == f.Fingerprint, nil
}
