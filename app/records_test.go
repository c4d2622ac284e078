package app

import (
	"testing"
)

// TestRecordsArea finds a sandbox account by part of its name and names
// it back by its ID; bad search text is a clear Invalid error.
func TestRecordsArea(t *testing.T) {
	a := newApp(t)
	r := &RecordsAPI{a.App}
	res, err := r.SearchRecords("sandbox", "Account", "")
	if err != nil || len(res.Records) == 0 || res.Field != "name" {
		t.Fatalf("search = %+v, %v", res, err)
	}
	first := res.Records[0]
	found, err := r.SearchRecords("sandbox", "Account", first.Name[1:len(first.Name)-1])
	if err != nil || len(found.Records) == 0 {
		t.Fatalf("search %q = %+v, %v", first.Name, found, err)
	}
	names, err := r.RecordNames("sandbox", "Account", []string{first.ID, "nope"})
	if err != nil || len(names) != 1 || names[0] != first {
		t.Fatalf("names = %+v, %v; want %+v", names, err, first)
	}
	_, err = r.SearchRecords("sandbox", "Account", "\xff")
	wantCode(t, err, "invalid")
}
