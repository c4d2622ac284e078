// Command e2eoss serves an OSS bucket on loopback for the end-to-end test:
// backend/destination/oss/osstest, the server the Go tests of the OSS
// destination run in-process, which re-signs every request with the SDK
// and refuses any whose V4 signature differs. Bucket "e2e-exports", region
// "cn-hangzhou", access key id "LTAIe2eTestKey" and secret from
// $E2E_OSS_SECRET (default "e2e-oss-secret"); objects are written under
// ROOT/KEY. It prints "oss http://127.0.0.1:PORT" once it listens and
// serves until stdin closes or it is killed.
//
//	go run ./build/e2eoss ROOT
package main

import (
	"fmt"
	"io"
	"log"
	"os"

	"batchdesk/backend/destination/oss/osstest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: e2eoss ROOT")
		os.Exit(2)
	}
	secret := os.Getenv("E2E_OSS_SECRET")
	if secret == "" {
		secret = "e2e-oss-secret"
	}
	s, err := osstest.Start(osstest.Config{Bucket: "e2e-exports", Region: "cn-hangzhou", KeyID: "LTAIe2eTestKey", Secret: secret,
		Dir: os.Args[1], Report: log.Printf})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2eoss:", err)
		os.Exit(1)
	}
	defer s.Close()
	fmt.Printf("oss %s\n", s.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
	if n := s.BadSignatures(); n > 0 {
		log.Printf("e2eoss: %d requests refused for their signature", n)
	}
}
