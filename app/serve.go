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

// ServeOptions say where and how `batchdesk serve` serves the app.
type ServeOptions struct {
	// Addr is the listen address (default 127.0.0.1:0, a free port).
	Addr        string
	AllowRemote bool
	// UploadDir receives uploads; the page may open the files there.
	UploadDir string
	// Root, when not "", is a folder whose files the page may open too
	// (`serve --root DIR`); no other file can be opened from the browser.
	Root string
}

// Serve runs a over HTTP (browser mode) until ctx ends. The first line
// written to out is the URL to open, with this run's token.
func Serve(ctx context.Context, a *App, assets fs.FS, o ServeOptions, out io.Writer) error {
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := httpapi.CheckAddr(addr, o.AllowRemote); err != nil {
		return err
	}
	roots, err := newFileRoots(o.UploadDir, o.Root)
	if err != nil {
		return err
	}
	a.files = roots
	srv, err := httpapi.New(a.bound(false), assets, o.UploadDir)
	if err != nil {
		return err
	}
	a.setEmitter(srv.Events)
	srv.Download = (&JobsAPI{a}).download
	srv.MaxUpload = func() (int64, error) {
		ctx, cancel := a.call(10 * time.Second)
		defer cancel()
		mb, err := a.ws.Store.MaxFileMB(ctx)
		return int64(mb) << 20, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot listen on %s: %v", addr, err)
	}
	srv.AllowHosts(ln.Addr().String())
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
	a.shutdown()
	return nil
}
