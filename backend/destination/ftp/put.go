package ftp

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination"
)

// Put stores r as NAME.part, checks its size, and renames it to NAME. A
// broken transfer is resumed on a new connection (see the package doc); on
// failure NAME.part is deleted.
func (d *Dest) Put(ctx context.Context, name string, r io.Reader) (destination.Published, error) {
	clean, err := destination.CleanName(name)
	if err != nil {
		return destination.Published{}, err
	}
	final := d.remote(clean)
	part := final + destination.PartSuffix
	src := destination.NewReplay(destination.ContextReader(ctx, r))
	var size int64
	err = destination.Retry(ctx, d.opts.Retries, d.opts.Backoff, func(err error) bool {
		return src.ReadErr() == nil && retryable(err)
	}, func() (err error) {
		size, err = d.attempt(ctx, part, final, src)
		return err
	})
	if err == nil {
		return destination.Published{Name: name, Location: d.location(final), Bytes: size}, nil
	}
	d.removePart(ctx, part)
	switch {
	case ctx.Err() != nil:
		return destination.Published{}, apperr.Wrap(ctx.Err(), apperr.Canceled, "uploading %s was canceled", destination.Quote(clean))
	case src.ReadErr() != nil:
		return destination.Published{}, fmt.Errorf("read %s: %w", destination.Quote(clean), src.ReadErr())
	}
	return destination.Published{}, err
}

// attempt is one connection's try: resume or start NAME.part, finish the
// stream, check the size, rename.
func (d *Dest) attempt(ctx context.Context, part, final string, src *destination.Replay) (int64, error) {
	s, err := d.connect(ctx)
	if err != nil {
		return 0, err
	}
	defer s.close()
	if src.Sent() == 0 {
		d.makeDirs(s, path.Dir(final))
	}
	var from int64
	if src.Sent() > 0 {
		have, err := s.sc.FileSize(part)
		if err != nil {
			have = -1 // nothing there (or no SIZE): start over if the window allows
		}
		var ok bool
		if from, ok = src.ResumeAt(have); !ok {
			return 0, apperr.New(apperr.Unavailable, "the FTP transfer of %s broke after %d bytes and cannot be resumed (the server holds %d)", destination.Quote(path.Base(final)), src.Sent(), from)
		}
	}
	body := src.From(from)
	if from > 0 {
		err = s.sc.StorFrom(part, body, uint64(from))
	} else {
		err = s.sc.Stor(part, body)
	}
	if err != nil {
		if src.ReadErr() != nil {
			return 0, src.ReadErr()
		}
		return 0, explain(err, "upload "+destination.Quote(path.Base(final)))
	}
	have, err := s.sc.FileSize(part)
	if err != nil {
		return 0, explain(err, "read back the size of "+destination.Quote(path.Base(part)))
	}
	if have != src.Sent() {
		return 0, apperr.New(apperr.Unavailable, "the FTP server holds %d bytes of %s after %d were sent", have, destination.Quote(path.Base(part)), src.Sent())
	}
	if err := s.sc.Rename(part, final); err != nil {
		// Some servers refuse to rename over an existing file.
		if s.sc.Delete(final) != nil || s.sc.Rename(part, final) != nil {
			return 0, explain(err, "rename "+destination.Quote(path.Base(part))+" into place")
		}
	}
	return src.Sent(), nil
}

// makeDirs creates dir and its parents, ignoring errors (an existing folder
// answers 550 too); a folder that is really missing fails the STOR.
func (d *Dest) makeDirs(s *session, dir string) {
	if dir == "." || dir == "/" || dir == "" {
		return
	}
	var cur string
	if strings.HasPrefix(dir, "/") {
		cur = "/"
	}
	for _, el := range strings.Split(strings.Trim(dir, "/"), "/") {
		cur = path.Join(cur, el)
		_ = s.sc.MakeDir(cur)
	}
}

// removePart deletes a left-over NAME.part on a fresh connection, even after
// the caller's context ended.
func (d *Dest) removePart(ctx context.Context, part string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.opts.Timeout)
	defer cancel()
	s, err := d.connect(cctx)
	if err != nil {
		return
	}
	defer s.close()
	_ = s.sc.Delete(part)
}

func (d *Dest) location(p string) string {
	return fmt.Sprintf("ftp://%s@%s/%s", d.opts.User, d.addr(), strings.TrimPrefix(p, "/"))
}
