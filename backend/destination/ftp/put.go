package ftp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

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
	src := &replay{r: destination.ContextReader(ctx, r)}
	wait := d.opts.Backoff
	var last error
	for attempt := 0; attempt <= d.opts.Retries; attempt++ {
		if attempt > 0 {
			if !sleep(ctx, wait) {
				break
			}
			wait *= 2
		}
		var size int64
		size, last = d.attempt(ctx, part, final, src)
		if last == nil {
			return destination.Published{Name: name, Location: d.location(final), Bytes: size}, nil
		}
		if !retryable(last) || ctx.Err() != nil || src.readErr != nil {
			break
		}
	}
	d.removePart(ctx, part)
	switch {
	case ctx.Err() != nil:
		return destination.Published{}, apperr.Wrap(ctx.Err(), apperr.Canceled, "uploading %s was canceled", destination.Quote(clean))
	case src.readErr != nil:
		return destination.Published{}, fmt.Errorf("read %s: %w", destination.Quote(clean), src.readErr)
	}
	return destination.Published{}, last
}

// attempt is one connection's try: resume or start NAME.part, finish the
// stream, check the size, rename.
func (d *Dest) attempt(ctx context.Context, part, final string, src *replay) (int64, error) {
	s, err := d.connect(ctx)
	if err != nil {
		return 0, err
	}
	defer s.close()
	if src.sent == 0 {
		d.makeDirs(s, path.Dir(final))
	}
	var from int64
	if src.sent > 0 {
		have, err := s.sc.FileSize(part)
		switch {
		case err != nil:
			from = 0 // nothing there (or no SIZE): start over if the window allows
		case have > src.sent:
			from = 0
		default:
			from = have
		}
		if from < src.start {
			return 0, apperr.New(apperr.Unavailable, "the FTP transfer of %s broke after %d bytes and cannot be resumed (the server holds %d)", destination.Quote(path.Base(final)), src.sent, from)
		}
	}
	body := src.from(from)
	if from > 0 {
		err = s.sc.StorFrom(part, body, uint64(from))
	} else {
		err = s.sc.Stor(part, body)
	}
	if err != nil {
		if src.readErr != nil {
			return 0, src.readErr
		}
		return 0, explain(err, "upload "+destination.Quote(path.Base(final)))
	}
	have, err := s.sc.FileSize(part)
	if err != nil {
		return 0, explain(err, "read back the size of "+destination.Quote(path.Base(part)))
	}
	if have != src.sent {
		return 0, apperr.New(apperr.Unavailable, "the FTP server holds %d bytes of %s after %d were sent", have, destination.Quote(path.Base(part)), src.sent)
	}
	if err := s.sc.Rename(part, final); err != nil {
		// Some servers refuse to rename over an existing file.
		if s.sc.Delete(final) != nil || s.sc.Rename(part, final) != nil {
			return 0, explain(err, "rename "+destination.Quote(path.Base(part))+" into place")
		}
	}
	return src.sent, nil
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

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// replay reads the source once and keeps the last ReplayWindow bytes sent,
// so a broken transfer can resume from what the server holds.
type replay struct {
	r       io.Reader
	window  []byte // bytes [start, sent) of the stream
	start   int64
	sent    int64 // bytes read from r so far
	readErr error // the source's own failure (not retried)
}

// from returns a reader of the stream from offset off (start <= off <= sent).
func (p *replay) from(off int64) io.Reader {
	return io.MultiReader(bytes.NewReader(p.window[off-p.start:]), (*liveReader)(p))
}

type liveReader replay

func (l *liveReader) Read(b []byte) (int, error) {
	p := (*replay)(l)
	n, err := p.r.Read(b)
	if n > 0 {
		p.window = append(p.window, b[:n]...)
		p.sent += int64(n)
		if len(p.window) > 2*ReplayWindow {
			drop := len(p.window) - ReplayWindow
			p.window = append(p.window[:0], p.window[drop:]...)
			p.start += int64(drop)
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		p.readErr = err
	}
	return n, err
}
