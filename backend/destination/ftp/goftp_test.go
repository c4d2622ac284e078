package ftp

import (
	"crypto/tls"
	"strconv"
	"testing"

	ftpserver "goftp.io/server/v2"
	"goftp.io/server/v2/driver/file"
)

// goftpServer runs goftp.io/server in this process with explicit TLS forced,
// serving a temp folder; it returns the folder and the client's options.
func goftpServer(t *testing.T) (string, Options, testCert) {
	t.Helper()
	root := t.TempDir()
	drv, err := file.NewDriver(root)
	if err != nil {
		t.Fatal(err)
	}
	cert := newTestCert(t, false)
	port := freePort(t)
	srv, err := ftpserver.NewServer(&ftpserver.Options{
		Driver:       drv,
		Auth:         &ftpserver.SimpleAuth{Name: "exporter", Password: "pa55 word"},
		Perm:         ftpserver.NewSimplePerm("exporter", "exporter"),
		Hostname:     "127.0.0.1",
		PublicIP:     "127.0.0.1",
		Port:         port,
		TLS:          true,
		ExplicitFTPS: true,
		TLSConfig:    &tls.Config{Certificates: []tls.Certificate{cert.tls}},
		Logger:       &ftpserver.DiscardLogger{},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.ForceTLS = true // NewServer drops it
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	t.Cleanup(func() { srv.Shutdown() })
	waitListening(t, "127.0.0.1:"+strconv.Itoa(port), func() error {
		select {
		case err := <-done:
			return err
		default:
			return nil
		}
	})
	return root, Options{Host: "127.0.0.1", Port: port, User: "exporter", Password: "pa55 word", Dir: "/exports",
		TLS: true, RootCAs: cert.pool, Backoff: 1}, cert
}

func TestGoftp(t *testing.T) {
	root, opts, _ := goftpServer(t)
	runSuite(t, root+"/exports", opts)
}
