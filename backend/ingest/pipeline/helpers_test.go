package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"batchdesk/backend/crm/crmtest"
	"batchdesk/backend/ingest/pipeline"
)

// target is a demo CRM under test with raw SQL in its dialect (NULL
// reads as "<null>").
type target = *crmtest.Target

// eachDemo runs fn on the demo CRM in PostgreSQL and in a sandbox.
func eachDemo(t *testing.T, fn func(t *testing.T, tg target)) {
	crmtest.Each(t, func(t *testing.T, tg target) {
		tg.Null = "<null>"
		fn(t, tg)
	})
}

// runOK runs req and fails the test on a job error.
func runOK(t *testing.T, req pipeline.Request) pipeline.Result {
	t.Helper()
	res, err := pipeline.Run(context.Background(), req, nil)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

// reportOf reads an error report's lines after the header.
func reportLines(t *testing.T, path string) []string {
	t.Helper()
	if path == "" {
		return nil
	}
	b := mustRead(t, path)
	lines := strings.Split(strings.TrimSpace(b), "\n")
	return lines[1:]
}
