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
	"os"

	"batchdesk/backend/destination/ftp/ftptest"
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
	srv, err := ftptest.Listen(root, ftptest.Options{Password: os.Getenv("E2E_FTP_PASSWORD")})
	if err != nil {
		return err
	}
	fmt.Printf("ftp 127.0.0.1:%d\n", srv.Port)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		_ = srv.Close()
	}()
	return srv.Wait()
}
