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

// Put writes r to NAME.part, checks its size and renames it to NAME; a
// broken transfer is resumed on a new connection (see the package doc); on
// failure NAME.part is removed.
func (d *Dest) Put(ctx context.Context, name string, r io.Reader) (destination.Published, error) {
	clean, err := destination.CleanName(name)
	if err != nil {
		return destination.Published{}, err
	}
	final := d.remote(clean)
	part := final + destination.PartSuffix
	src := destination.NewReplay(destination.ContextReader(ctx, r))
	var n int64
	connected := false
	err = destination.Retry(ctx, d.opts.Retries, d.opts.Backoff, func(err error) bool {
		return src.ReadErr() == nil && retryable(err)
	}, func() error {
		s, err := d.connect(ctx)
		if err != nil {
			return err
		}
		defer s.close()
		connected = true
		n, err = d.upload(s, part, final, src)
		return err
	})
	if err == nil {
		return destination.Published{Name: name, Location: d.location(final), Bytes: n}, nil
	}
	if connected {
		d.removePart(ctx, part)
	}
	switch {
	case ctx.Err() != nil:
		return destination.Published{}, apperr.Wrap(ctx.Err(), apperr.Canceled, "uploading %s was canceled", destination.Quote(clean))
	case src.ReadErr() != nil:
		return destination.Published{}, fmt.Errorf("read %s: %w", destination.Quote(clean), src.ReadErr())
	}
	return destination.Published{}, err
}

// retryable reports whether an attempt's failure may pass on a new
// connection: the connection broke (not a refused login or host key, not
// the server's answer to a request).
func retryable(err error) bool {
	var se *sftp.StatusError
	if errors.As(err, &se) {
		return false
	}
	return destination.Transient(err) || errors.Is(err, sftp.ErrSSHFxConnectionLost)
}

// upload is one connection's try: start NAME.part, or resume it from what
// the server holds, finish the stream, check the size, rename.
func (d *Dest) upload(s *session, part, final string, src *destination.Replay) (int64, error) {
	var from int64
	if src.Sent() == 0 {
		if dir := path.Dir(final); dir != "." && dir != "/" {
			if err := s.sftp.MkdirAll(dir); err != nil {
				return 0, explain(err, "create the folder "+destination.Quote(dir))
			}
		}
	} else {
		have := int64(-1)
		if st, err := s.sftp.Stat(part); err == nil {
			have = st.Size()
		}
		var ok bool
		if from, ok = src.ResumeAt(have); !ok {
			return 0, apperr.New(apperr.Unavailable, "the SFTP transfer of %s broke after %d bytes and cannot be resumed (the server holds %d)", destination.Quote(path.Base(final)), src.Sent(), from)
		}
	}
	flags := os.O_WRONLY | os.O_CREATE
	if from == 0 {
		flags |= os.O_TRUNC
	}
	f, err := s.sftp.OpenFile(part, flags)
	if err != nil {
		return 0, explain(err, "create "+destination.Quote(path.Base(part)))
	}
	if from > 0 {
		if err = f.Truncate(from); err == nil {
			_, err = f.Seek(from, io.SeekStart)
		}
	}
	if err == nil {
		// The replay reader has no length: pkg/sftp writes it in order, one
		// acknowledged packet after the other, so what the server holds
		// after a break is a prefix of the stream.
		_, err = f.ReadFrom(src.From(from))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if src.ReadErr() != nil {
			return 0, src.ReadErr()
		}
		return 0, explain(err, "upload "+destination.Quote(path.Base(final)))
	}
	st, err := s.sftp.Stat(part)
	if err != nil {
		return 0, explain(err, "read back the size of "+destination.Quote(path.Base(part)))
	}
	if st.Size() != src.Sent() {
		return 0, apperr.New(apperr.Unavailable, "the SFTP server holds %d bytes of %s after %d were sent", st.Size(), destination.Quote(path.Base(part)), src.Sent())
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
	return src.Sent(), nil
}

// removePart deletes NAME.part on a fresh connection, even after the
// caller's context ended.
func (d *Dest) removePart(ctx context.Context, part string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.opts.Timeout)
	defer cancel()
	s, err := d.connect(cctx)
	if err != nil {
		return
	}
	defer s.close()
	_ = s.sftp.Remove(part)
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
