// Command e2eftp serves a folder over FTP on loopback for the end-to-end
// test (goftp.io/server, the server the Go tests run in-process): user
// "exporter", password from $E2E_FTP_PASSWORD (default "pa55 word"). It
// prints "ftp 127.0.0.1:PORT" once it listens and serves until stdin
// closes or it is killed.
//
//	go run ./build/e2eftp ROOT
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	ftpserver "goftp.io/server/v2"
	"goftp.io/server/v2/driver/file"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: e2eftp ROOT")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "e2eftp:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	if err := os.MkdirAll(filepath.Join(root, "exports"), 0o755); err != nil {
		return err
	}
	drv, err := file.NewDriver(root)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	pw := os.Getenv("E2E_FTP_PASSWORD")
	if pw == "" {
		pw = "pa55 word"
	}
	srv, err := ftpserver.NewServer(&ftpserver.Options{
		Driver:   drv,
		Auth:     &ftpserver.SimpleAuth{Name: "exporter", Password: pw},
		Perm:     ftpserver.NewSimplePerm("exporter", "exporter"),
		Hostname: "127.0.0.1",
		PublicIP: "127.0.0.1",
		Port:     port,
		Logger:   &ftpserver.DiscardLogger{},
	})
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	// Say where once it accepts connections.
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-errc:
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
	fmt.Printf("ftp 127.0.0.1:%d\n", port)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		_ = srv.Shutdown()
	}()
	if err := <-errc; err != nil && err != ftpserver.ErrServerClosed {
		return err
	}
	return nil
}
