package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/httpapi"
)

// Serve runs a over HTTP (browser mode) on addr until ctx ends. The first
// line written to out is the URL to open, with this run's token.
func Serve(ctx context.Context, a *App, assets fs.FS, uploadDir, addr string, allowRemote bool, out io.Writer) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := httpapi.CheckAddr(addr, allowRemote); err != nil {
		return err
	}
	srv, err := httpapi.New(a, assets, uploadDir)
	if err != nil {
		return err
	}
	a.SetEmitter(srv.Events)
	srv.Download = a.download
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot listen on %s: %v", addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintln(out, srv.URL(ln.Addr().String()))
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shut)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return apperr.Wrap(err, apperr.Unavailable, "serve: %v", err)
	}
	a.Shutdown()
	return nil
}
