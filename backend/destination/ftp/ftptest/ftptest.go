// Package ftptest runs a real FTP server (goftp.io/server) in this process
// for tests and for the end-to-end run's build/e2eftp: it serves a folder
// with an "exports" folder in it to one user, optionally with explicit TLS
// forced. Start is for tests; Listen for a command.
package ftptest

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	ftpserver "goftp.io/server/v2"
	"goftp.io/server/v2/driver/file"
)

// User and Password are the one login the server accepts unless
// Options.Password says otherwise.
const (
	User     = "exporter"
	Password = "pa55 word"
)

// Options are the server's settings; the zero value is plain FTP with
// Password.
type Options struct {
	Password string      // "" means Password
	TLS      *tls.Config // non-nil: explicit TLS, forced
}

// Server is a running server: its folder and port on 127.0.0.1.
type Server struct {
	Root string
	Port int
	srv  *ftpserver.Server
	errc chan error
}

// Listen serves root (creating root/exports) on a free port of 127.0.0.1
// and returns once the server accepts connections.
func Listen(root string, opt Options) (*Server, error) {
	if err := os.MkdirAll(filepath.Join(root, "exports"), 0o755); err != nil {
		return nil, err
	}
	drv, err := file.NewDriver(root)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	pw := opt.Password
	if pw == "" {
		pw = Password
	}
	o := &ftpserver.Options{
		Driver:   drv,
		Auth:     &ftpserver.SimpleAuth{Name: User, Password: pw},
		Perm:     ftpserver.NewSimplePerm(User, User),
		Hostname: "127.0.0.1",
		PublicIP: "127.0.0.1",
		Port:     port,
		Logger:   &ftpserver.DiscardLogger{},
	}
	if opt.TLS != nil {
		o.TLS, o.ExplicitFTPS, o.TLSConfig = true, true, opt.TLS
	}
	srv, err := ftpserver.NewServer(o)
	if err != nil {
		return nil, err
	}
	srv.ForceTLS = opt.TLS != nil // NewServer drops it
	s := &Server{Root: root, Port: port, srv: srv, errc: make(chan error, 1)}
	go func() { s.errc <- srv.ListenAndServe() }()
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case err := <-s.errc:
			return nil, fmt.Errorf("the FTP server stopped: %w", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = srv.Shutdown()
			return nil, fmt.Errorf("the FTP server does not listen: %w", err)
		}
	}
}

// Wait returns when the server has stopped (nil after Close).
func (s *Server) Wait() error {
	if err := <-s.errc; err != nil && err != ftpserver.ErrServerClosed {
		return err
	}
	return nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Shutdown() }

// Start runs a server over a fresh temp folder for the length of t.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	s, err := Listen(t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
