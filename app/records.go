package app

import (
	"time"

	"batchdesk/backend/crm/lookup"
)

func init() { addArea("records", false, func(a *App) any { return &RecordsAPI{a} }) }

// RecordsAPI is the records area of the surface: finding a record by name
// for a lookup value of the condition builder, and the names of the
// records a filter refers to by ID. The engine is backend/crm/lookup.
type RecordsAPI struct{ *App }

// RecordRef is one record of a lookup search: its ID and its name.
type RecordRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// RecordSearch is what a lookup search found: the object and the field
// searched (its primary attribute or "name"), the records, and whether
// more match than were returned.
type RecordSearch struct {
	Object  string      `json:"object"`
	Field   string      `json:"field"`
	Records []RecordRef `json:"records"`
	More    bool        `json:"more"`
}

func refs(rs []lookup.Record) []RecordRef {
	out := make([]RecordRef, len(rs))
	for i, r := range rs {
		out[i] = RecordRef(r)
	}
	return out
}

// SearchRecords returns up to 20 records of object (on connection) whose
// name — the primary attribute, else the name field — contains text,
// case-insensitive; those starting with it first.
func (a *RecordsAPI) SearchRecords(connection, object, text string) (RecordSearch, error) {
	ctx, cancel := a.call(30 * time.Second)
	defer cancel()
	t, err := a.open(ctx, connection)
	if err != nil {
		return RecordSearch{}, fail(err)
	}
	defer t.Close()
	res, err := lookup.Search(ctx, t, object, text, lookup.DefaultLimit)
	if err != nil {
		return RecordSearch{}, fail(err)
	}
	return RecordSearch{Object: res.Object, Field: res.Field, Records: refs(res.Records), More: res.More}, nil
}

// RecordNames returns the names of the records of object with these IDs
// (those that exist, in the order given), to show a chosen ID by its name.
func (a *RecordsAPI) RecordNames(connection, object string, ids []string) ([]RecordRef, error) {
	ctx, cancel := a.call(30 * time.Second)
	defer cancel()
	t, err := a.open(ctx, connection)
	if err != nil {
		return nil, fail(err)
	}
	defer t.Close()
	recs, err := lookup.Names(ctx, t, object, ids)
	if err != nil {
		return nil, fail(err)
	}
	return refs(recs), nil
}
