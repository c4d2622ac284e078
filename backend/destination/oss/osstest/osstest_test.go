package osstest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// TestDirKeepsObjectsAndRefusesEscapes: with Dir, an object signed with
// the key pair lands under Dir/KEY (what build/e2eoss's caller reads), a
// deleted one goes, and a key that would leave Dir is refused.
func TestDirKeepsObjectsAndRefusesEscapes(t *testing.T) {
	dir := t.TempDir()
	s, err := Start(Config{Bucket: "bkt", Region: "cn-hangzhou", KeyID: "LTAIkey", Secret: "sec", Dir: dir, Report: t.Errorf})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := oss.New(s.URL, s.KeyID, s.Secret, oss.AuthVersion(oss.AuthV4), oss.Region(s.Region), oss.ForcePathStyle(true))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Bucket("bkt")
	if err := b.PutObject("nightly/a.csv", bytes.NewReader([]byte("id\n1\n"))); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "nightly", "a.csv")); err != nil || string(got) != "id\n1\n" {
		t.Fatalf("file: %q, %v", got, err)
	}
	if err := b.DeleteObject("nightly/a.csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nightly", "a.csv")); !os.IsNotExist(err) {
		t.Fatalf("the deleted object's file: %v", err)
	}
	err = b.PutObject("../out.csv", bytes.NewReader([]byte("x")))
	var se oss.ServiceError
	if !errors.As(err, &se) || se.Code != "InvalidObjectName" {
		t.Fatalf("a key leaving the folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "out.csv")); !os.IsNotExist(err) {
		t.Fatalf("written outside the folder: %v", err)
	}
	if s.BadSignatures() != 0 || len(s.Keys()) != 0 {
		t.Fatalf("bad signatures %d, objects %v", s.BadSignatures(), s.Keys())
	}
}
