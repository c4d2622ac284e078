// Package local publishes export files into a folder on this computer.
//
// In: a folder (created if missing when a file is put) and, per file, a name
// relative to it ("a/b.csv" makes the subfolder "a") and a reader. Each file
// is written as NAME.part beside its final name, synced to disk, renamed into
// place and the folder synced, so a crash, a cancel or a failed read leaves
// nothing at the final name (only, after a kill -9, a NAME.part that the
// next run replaces). Out: destination.Published with the file's full path.
//
// Errors are *apperr.Error: Invalid (a bad name, the folder is a file),
// Unavailable (cannot create or write: permission, disk full), Canceled
// (the context ended), or the reader's own error wrapped.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

var _ destination.Destination = (*Dest)(nil)

// Dest is a folder destination.
type Dest struct {
	dir string
}

// New returns a destination writing under dir (made absolute). The folder is
// not touched until Put or Test.
func New(dir string) (*Dest, error) {
	if dir == "" {
		return nil, apperr.New(apperr.Invalid, "a folder destination needs a path")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "folder %q cannot be used: %v", destination.Quote(dir), err)
	}
	return &Dest{dir: abs}, nil
}

// Dir is the absolute folder.
func (d *Dest) Dir() string { return d.dir }

// Describe is the folder's absolute path.
func (d *Dest) Describe() string { return d.dir }

// Close does nothing: a folder holds no connection.
func (d *Dest) Close() error { return nil }

// Put writes r to NAME.part, syncs it, renames it to NAME and syncs the
// folder. On any error the .part file is removed and nothing is at NAME
// (an older file already at NAME is left as it was).
func (d *Dest) Put(ctx context.Context, name string, r io.Reader) (destination.Published, error) {
	clean, err := destination.CleanName(name)
	if err != nil {
		return destination.Published{}, err
	}
	final := filepath.Join(d.dir, filepath.FromSlash(clean))
	folder := filepath.Dir(final)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return destination.Published{}, fsError(err, "create the folder %s", folder)
	}
	part := final + destination.PartSuffix
	n, err := writeSynced(ctx, part, r)
	if err != nil {
		_ = os.Remove(part)
		return destination.Published{}, err
	}
	if err := os.Rename(part, final); err != nil {
		_ = os.Remove(part)
		return destination.Published{}, fsError(err, "rename %s into place", part)
	}
	if err := syncDir(folder); err != nil {
		return destination.Published{}, fsError(err, "sync the folder %s", folder)
	}
	return destination.Published{Name: name, Location: final, Bytes: n}, nil
}

// writeSynced copies r into a new (or truncated) file at path and fsyncs it.
func writeSynced(ctx context.Context, path string, r io.Reader) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, fsError(err, "create %s", path)
	}
	n, err := io.Copy(f, destination.ContextReader(ctx, r))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return n, apperr.Wrap(ctx.Err(), apperr.Canceled, "writing %s was canceled", filepath.Base(path))
		}
		var pe *os.PathError
		if errors.As(err, &pe) {
			return n, fsError(err, "write %s", path)
		}
		return n, fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return n, fsError(err, "check %s", path)
	}
	if st.Size() != n {
		return n, apperr.New(apperr.Unavailable, "%s holds %d bytes after writing %d", path, st.Size(), n)
	}
	return n, nil
}

// syncDir makes a rename durable; folders that cannot be synced (Windows)
// are skipped.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !errors.Is(err, os.ErrPermission) {
		return err
	}
	return nil
}

// Test writes and removes a probe file in the folder.
func (d *Dest) Test(ctx context.Context) error {
	st, err := os.Stat(d.dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return apperr.Wrap(err, apperr.Unavailable, "the folder %s does not exist", d.dir)
	case err != nil:
		return fsError(err, "open the folder %s", d.dir)
	case !st.IsDir():
		return apperr.New(apperr.Invalid, "%s is a file, not a folder", d.dir)
	}
	p, err := d.Put(ctx, destination.ProbeName, io.LimitReader(zeroReader{}, 16))
	if err != nil {
		return err
	}
	if err := os.Remove(p.Location); err != nil {
		return fsError(err, "remove the probe file %s", p.Location)
	}
	return nil
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// fsError turns a file-system error into plain words.
func fsError(err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	switch {
	case errors.Is(err, os.ErrPermission):
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: permission denied", what)
	case errors.Is(err, os.ErrNotExist):
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: no such folder", what)
	case isNotDir(err):
		return apperr.Wrap(err, apperr.Invalid, "cannot %s: a part of the path is a file, not a folder", what)
	case isNoSpace(err):
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the disk is full", what)
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot %s: %v", what, err)
}
