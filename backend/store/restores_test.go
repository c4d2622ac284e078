package store

import (
	"context"
	"encoding/json"
	"testing"
)

// TestListRestoresOf: the restores of a delete job are the import jobs
// whose settings name it, oldest first — not a job restoring another
// delete, not a plain import, not a delete itself.
func TestListRestoresOf(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	mk := func(kind, settings string) string {
		t.Helper()
		j, err := s.CreateJob(ctx, Job{Kind: kind, Object: "Opportunity", Settings: json.RawMessage(settings)})
		if err != nil {
			t.Fatal(err)
		}
		return j.ID
	}
	del := mk(JobDelete, `{"object":"Opportunity"}`)
	other := mk(JobDelete, `{"object":"Opportunity"}`)
	mk(JobImport, `{"object":"Opportunity","files":["a.csv"]}`)
	first := mk(JobImport, `{"object":"Opportunity","restoreOf":"`+del+`"}`)
	mk(JobImport, `{"object":"Opportunity","restoreOf":"`+other+`"}`)
	second := mk(JobImport, `{"object":"Opportunity","mode":"update","restoreOf":"`+del+`"}`)
	js, err := s.ListRestoresOf(ctx, del)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 2 || js[0].ID != first || js[1].ID != second {
		t.Fatalf("restores of %s: %+v, want %s then %s", del, js, first, second)
	}
	if js, err := s.ListRestoresOf(ctx, first); err != nil || len(js) != 0 {
		t.Fatalf("restores of an import: %+v, %v", js, err)
	}
}
