package sftp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/pkg/sftp"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

// Put writes r to NAME.part, checks its size and renames it to NAME; on
// failure NAME.part is removed.
func (d *Dest) Put(ctx context.Context, name string, r io.Reader) (destination.Published, error) {
	clean, err := destination.CleanName(name)
	if err != nil {
		return destination.Published{}, err
	}
	final := d.remote(clean)
	part := final + destination.PartSuffix
	s, err := d.connect(ctx)
	if err != nil {
		return destination.Published{}, err
	}
	defer s.close()
	src := &destination.CountingReader{R: destination.ContextReader(ctx, r)}
	n, err := d.upload(s, part, final, src)
	if err != nil {
		d.removePart(ctx, s, part)
		switch {
		case ctx.Err() != nil:
			return destination.Published{}, apperr.Wrap(ctx.Err(), apperr.Canceled, "uploading %s was canceled", destination.Quote(clean))
		case src.Err != nil:
			return destination.Published{}, fmt.Errorf("read %s: %w", destination.Quote(clean), src.Err)
		}
		return destination.Published{}, err
	}
	return destination.Published{Name: name, Location: d.location(final), Bytes: n}, nil
}

func (d *Dest) upload(s *session, part, final string, src *destination.CountingReader) (int64, error) {
	if dir := path.Dir(final); dir != "." && dir != "/" {
		if err := s.sftp.MkdirAll(dir); err != nil {
			return 0, explain(err, "create the folder "+destination.Quote(dir))
		}
	}
	f, err := s.sftp.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return 0, explain(err, "create "+destination.Quote(path.Base(part)))
	}
	_, err = f.ReadFrom(src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, explain(err, "upload "+destination.Quote(path.Base(final)))
	}
	st, err := s.sftp.Stat(part)
	if err != nil {
		return 0, explain(err, "read back the size of "+destination.Quote(path.Base(part)))
	}
	if st.Size() != src.N {
		return 0, apperr.New(apperr.Unavailable, "the SFTP server holds %d bytes of %s after %d were sent", st.Size(), destination.Quote(path.Base(part)), src.N)
	}
	if _, ok := s.sftp.HasExtension("posix-rename@openssh.com"); ok {
		err = s.sftp.PosixRename(part, final)
	} else {
		// Plain SFTP rename refuses an existing target.
		if rerr := s.sftp.Remove(final); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return 0, explain(rerr, "replace "+destination.Quote(path.Base(final)))
		}
		err = s.sftp.Rename(part, final)
	}
	if err != nil {
		return 0, explain(err, "rename "+destination.Quote(path.Base(part))+" into place")
	}
	return src.N, nil
}

// removePart deletes NAME.part, on a fresh connection when the first was
// closed by a cancel.
func (d *Dest) removePart(ctx context.Context, s *session, part string) {
	if ctx.Err() == nil {
		if err := s.sftp.Remove(part); err == nil || errors.Is(err, fs.ErrNotExist) {
			return
		}
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.opts.Timeout)
	defer cancel()
	s2, err := d.connect(cctx)
	if err != nil {
		return
	}
	defer s2.close()
	_ = s2.sftp.Remove(part)
}

// Test writes and removes a probe file.
func (d *Dest) Test(ctx context.Context) error {
	p, err := d.Put(ctx, destination.ProbeName, strings.NewReader("batchdesk probe\n"))
	if err != nil {
		return err
	}
	s, err := d.connect(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.sftp.Remove(d.remote(p.Name)); err != nil {
		return explain(err, "remove the probe file")
	}
	return nil
}

func (d *Dest) location(p string) string {
	return fmt.Sprintf("sftp://%s@%s/%s", d.opts.User, d.addr(), strings.TrimPrefix(p, "/"))
}

func explain(err error, what string) error {
	var se *sftp.StatusError
	switch {
	case errors.Is(err, fs.ErrPermission):
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: permission denied", what)
	case errors.Is(err, fs.ErrNotExist):
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: no such folder", what)
	case errors.As(err, &se):
		return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the server answered %s", what, destination.Quote(se.Error()))
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot %s: the connection broke: %s", what, destination.Quote(err.Error()))
}
