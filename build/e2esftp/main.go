// Command e2esftp serves a folder over SFTP on loopback for the end-to-end
// test: backend/destination/sftp/sftptest, the x/crypto/ssh + pkg/sftp
// server the Go tests run in-process, with a new ed25519 host key each
// start. User "exporter", password from $E2E_SFTP_PASSWORD (default
// "pa55 word"); the login folder is ROOT. It prints
// "sftp 127.0.0.1:PORT SHA256:…" (the host key's fingerprint) once it
// listens and serves until stdin closes or it is killed. -port reuses a
// port, so a restart shows the same address with another key.
//
//	go run ./build/e2esftp [-port N] ROOT
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"golang.org/x/crypto/ssh"

	"batchdesk/backend/destination/sftp/sftptest"
)

func main() {
	port := flag.Int("port", 0, "port to listen on (0 = a free one)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: e2esftp [-port N] ROOT")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *port); err != nil {
		fmt.Fprintln(os.Stderr, "e2esftp:", err)
		os.Exit(1)
	}
}

func run(root string, port int) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	hostKey, _, err := sftptest.GenerateSigner()
	if err != nil {
		return err
	}
	pw := os.Getenv("E2E_SFTP_PASSWORD")
	if pw == "" {
		pw = "pa55 word"
	}
	s, err := sftptest.Listen("127.0.0.1:"+strconv.Itoa(port), hostKey, pw, nil, root)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Printf("sftp %s %s\n", s.Addr, ssh.FingerprintSHA256(hostKey.PublicKey()))
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}
