package ftp

import (
	"context"
	"net"
	"testing"
	"time"

	"batchdesk/backend/apperr"
)

// TestStalledServerTimesOut: a server that accepts and then says nothing
// fails the upload once the idle deadline passes, instead of hanging.
func TestStalledServerTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent
		}
	}()
	d, err := New(Options{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Timeout: 200 * time.Millisecond, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Test(ctx) }()
	select {
	case err := <-done:
		if apperr.CodeOf(err) != apperr.Unavailable || ctx.Err() != nil {
			t.Fatalf("err = %v (%s)", err, apperr.CodeOf(err))
		}
	case <-ctx.Done():
		t.Fatal("the upload hung on a silent server")
	}
}
