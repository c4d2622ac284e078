package destination

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
)

// TestRetry: transient failures are tried again up to the bound; a failure
// for good, or success, ends the attempts.
func TestRetry(t *testing.T) {
	reset := apperr.Wrap(&net.OpError{Op: "write", Err: errors.New("connection reset by peer")}, apperr.Unavailable, "upload broke")
	for _, tc := range []struct {
		name  string
		errs  []error
		tries int
		ok    bool
	}{
		{"succeeds after two resets", []error{reset, reset, nil}, 3, true},
		{"gives up after the bound", []error{reset, reset, reset, reset}, 3, false},
		{"a refused login is not retried", []error{apperr.New(apperr.AuthFailed, "refused"), nil}, 1, false},
		{"a changed host key is not retried", []error{apperr.New(apperr.Conflict, "host key changed"), nil}, 1, false},
	} {
		n := 0
		err := Retry(context.Background(), 2, 1, Transient, func() error { n++; return tc.errs[n-1] })
		if n != tc.tries || (err == nil) != tc.ok {
			t.Errorf("%s: %d tries, err %v", tc.name, n, err)
		}
	}
}

// TestReplayResumes: a new attempt resumes where the server's partial file
// ends, starts over when the server holds more than was sent, and cannot
// resume before the window.
func TestReplayResumes(t *testing.T) {
	p := NewReplay(strings.NewReader("abcdefghij"))
	b := make([]byte, 6)
	if _, err := io.ReadFull(p.From(0), b); err != nil || p.Sent() != 6 {
		t.Fatal(err, p.Sent())
	}
	if off, ok := p.ResumeAt(4); off != 4 || !ok {
		t.Fatalf("resume at 4: %d %v", off, ok)
	}
	if rest, _ := io.ReadAll(p.From(4)); string(rest) != "efghij" {
		t.Fatalf("from 4: %q", rest)
	}
	if off, ok := p.ResumeAt(99); off != 0 || !ok {
		t.Errorf("server holds more than sent: %d %v", off, ok)
	}
	p.start = 5
	if _, ok := p.ResumeAt(4); ok {
		t.Error("resumed before the window")
	}
}
