package oss

import (
	"testing"

	"batchdesk/backend/destination/oss/osstest"
)

// fakeOSS is osstest's OSS on loopback (V4 signatures checked by
// re-signing), one per test.
type fakeOSS struct{ *osstest.Server }

func newFakeOSS(t *testing.T) *fakeOSS {
	s, err := osstest.Start(osstest.Config{Bucket: "exports", Region: "cn-hangzhou", KeyID: "LTAItestkey", Secret: "s3cr3t-v4", Report: t.Errorf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &fakeOSS{s}
}

func (f *fakeOSS) options() Options {
	return Options{Endpoint: f.URL, Region: f.Region, Bucket: f.Bucket, Prefix: "backups/2026",
		AccessKeyID: f.KeyID, AccessKeySecret: f.Secret, Backoff: 1}
}

var ossError = osstest.WriteError
