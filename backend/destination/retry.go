package destination

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"batchdesk/backend/apperr"
)

// Defaults of an upload's retry (FTP and SFTP).
const (
	DefaultRetries = 2
	DefaultBackoff = time.Second
	// ReplayWindow is how much of a stream is kept to resume a broken
	// transfer (Replay).
	ReplayWindow = 16 << 20
)

// Retry runs try until it succeeds, fails for good (retryable says no),
// ctx ends, or retries extra attempts have run; it waits backoff before the
// first retry and twice as long before each next one. It returns try's last
// error (nil once it succeeded).
func Retry(ctx context.Context, retries int, backoff time.Duration, retryable func(error) bool, try func() error) error {
	wait := backoff
	for attempt := 0; ; attempt++ {
		err := try()
		if err == nil || attempt >= retries || ctx.Err() != nil || !retryable(err) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait *= 2
	}
}

// Transient reports whether an upload's failure may pass on a new
// connection: the connection was reset, closed or timed out. A refused
// login, a changed host key or a bad setting (an *apperr.Error of another
// code than Unavailable) is not.
func Transient(err error) bool {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code != apperr.Unavailable {
		return false
	}
	var ne net.Error
	msg := err.Error()
	return errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		strings.Contains(msg, "connection reset") || strings.Contains(msg, "broken pipe") || strings.Contains(msg, "EOF")
}

// Replay reads a stream once and keeps the last ReplayWindow bytes sent, so
// a broken transfer can resume from what the server holds.
type Replay struct {
	r       io.Reader
	window  []byte // bytes [start, sent) of the stream
	start   int64
	sent    int64 // bytes read from r so far
	readErr error // the source's own failure (not retried)
}

// NewReplay reads r through a replay window.
func NewReplay(r io.Reader) *Replay { return &Replay{r: r} }

// Sent is how many bytes were read from the source so far.
func (p *Replay) Sent() int64 { return p.sent }

// ReadErr is the source's own failure, if it failed (never worth a retry).
func (p *Replay) ReadErr() error { return p.readErr }

// ResumeAt is where a new attempt starts when the server holds have bytes
// of the partial file (have < 0: unknown or none): there, or at 0 when the
// server holds more than was sent; ok is false when that point has left the
// window.
func (p *Replay) ResumeAt(have int64) (off int64, ok bool) {
	if have < 0 || have > p.sent {
		have = 0
	}
	return have, have >= p.start
}

// From returns a reader of the stream from offset off (see ResumeAt).
func (p *Replay) From(off int64) io.Reader {
	return io.MultiReader(bytes.NewReader(p.window[off-p.start:]), (*liveReader)(p))
}

type liveReader Replay

func (l *liveReader) Read(b []byte) (int, error) {
	p := (*Replay)(l)
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
