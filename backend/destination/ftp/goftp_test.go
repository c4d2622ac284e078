package ftp

import (
	"crypto/tls"
	"testing"

	"batchdesk/backend/destination/ftp/ftptest"
)

// goftpServer runs goftp.io/server in this process with explicit TLS forced,
// serving a temp folder; it returns the folder and the client's options.
func goftpServer(t *testing.T) (string, Options, testCert) {
	t.Helper()
	cert := newTestCert(t, false)
	srv := ftptest.Start(t, ftptest.Options{TLS: &tls.Config{Certificates: []tls.Certificate{cert.tls}}})
	return srv.Root, Options{Host: "127.0.0.1", Port: srv.Port, User: ftptest.User, Password: ftptest.Password, Dir: "/exports",
		TLS: true, RootCAs: cert.pool, Backoff: 1}, cert
}

func TestGoftp(t *testing.T) {
	root, opts, _ := goftpServer(t)
	runSuite(t, root+"/exports", opts)
}
