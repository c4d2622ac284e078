// Package export writes CRM objects as CSV files that `batchdesk import`
// reads back to the same stored values (DESIGN §1 Export): every object
// (one file each, zipped) or one object with its detail objects, chosen
// fields, a filter, voided records or not, record IDs or not.
//
// In: an open crm.Target, a Request and a destination.Destination. Out: the
// files published whole at the destination (UTF-8 with BOM by default; API
// names or labels as headers) and a Result listing each file's name, rows,
// bytes and SHA-256. Every object of one export is read in one snapshot, so
// lookups across files agree; a large PostgreSQL table is read by parallel
// COPY streams over ctid ranges of that snapshot, merged in order, with
// memory that does not grow with the rows.
//
// Values: dates YYYY-MM-DD, datetimes RFC 3339 with the offset of the
// request's zone, booleans true/false, numbers with the column's full scale,
// multi-picklists and team members joined by ";". Without WithIDs a lookup
// is written as the referenced record's primary attribute (its unique field
// when it has none; a user by email) and a related export numbers its
// masters in a _key column that the details' master column repeats, so the
// pair re-imports with --master-key _key. With WithIDs the files carry the
// id column and lookups as IDs: a restore.
//
// Jobs: Service runs an export as a job of the registry (kind export),
// records its files in the history and runs a job again by ID (resume);
// RunJob starts one from saved Settings (schedules).
//
// Errors are *apperr.Error: Invalid (bad request, unknown field — with the
// nearest name —, a filter that does not fit), NotFound (unknown object),
// Unavailable (the CRM or the destination failed, with their message);
// a canceled context is returned as it is.
package export

import (
	"context"
	"fmt"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/query"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/destination"
	"batchdesk/backend/jobs"
)

// Request says what to export. The zero value of each option is the
// default.
type Request struct {
	// All exports every object, one file per object, zipped.
	All bool `json:"all,omitempty"`
	// Object is the object to export (API or table name) when not All.
	Object string `json:"object,omitempty"`
	// Related adds the object's detail (master–detail) objects, each
	// restricted to the details of the exported masters.
	Related bool `json:"related,omitempty"`
	// Fields are the main object's fields by API name, in file order;
	// empty means every field that is not a system field, plus the owner.
	Fields []string `json:"fields,omitempty"`
	// SystemFields adds owner, created by/at, last modified by/at and
	// life status when Fields is empty (the delete backup sets it).
	SystemFields bool `json:"systemFields,omitempty"`
	// Where is a filter on the main object in the filter language.
	Where string `json:"where,omitempty"`
	// IDs restricts the main object to these record IDs (the delete
	// backup: there may be 500,000).
	IDs []string `json:"ids,omitempty"`
	// IncludeVoided keeps records whose life_status is "invalid" (and then
	// writes life_status).
	IncludeVoided bool `json:"includeVoided,omitempty"`
	// WithIDs adds the id column and writes lookups and team members as IDs.
	WithIDs bool `json:"withIds,omitempty"`
	// Headers are "api" (API names, the default), "en" or "zh" (labels).
	Headers string `json:"headers,omitempty"`
	// NoBOM leaves out the UTF-8 byte order mark.
	NoBOM bool `json:"noBom,omitempty"`
	// ExcelSafe prefixes a text cell that starts with =, +, - or @ with an
	// apostrophe (a spreadsheet would run it as a formula; such a file no
	// longer re-imports those cells as they were).
	ExcelSafe bool `json:"excelSafe,omitempty"`
	// Zip zips all files into this name (default for All or a related
	// export: export-<time>.zip or <Object>-<time>.zip).
	Zip string `json:"zip,omitempty"`
	// Zone is the IANA time zone datetimes are written in ("" = this
	// computer's).
	Zone string `json:"zone,omitempty"`
	// Workers is how many parallel COPY streams read one large PostgreSQL
	// table (0 = the target's default, 1 = one stream).
	Workers int `json:"workers,omitempty"`
}

// File is one published file: a CSV, a zip, or a CSV inside a zip
// (Archive names the zip; Location is then the zip's).
type File struct {
	Name     string `json:"name"`
	Object   string `json:"object,omitempty"`
	Rows     int64  `json:"rows"`
	Bytes    int64  `json:"bytes"`
	SHA256   string `json:"sha256"`
	Location string `json:"location"`
	Archive  string `json:"archive,omitempty"`
}

// Result is what an export wrote.
type Result struct {
	Files []File `json:"files"`
	Rows  int64  `json:"rows"`
	// Notes are remarks for the user, e.g. that including voided records
	// has no effect on a table without life_status.
	Notes []string `json:"notes,omitempty"`
}

// snapshotReader is the data access an export needs from a CRM target: a
// consistent read of many objects.
type snapshotReader interface {
	BeginRead(ctx context.Context, opt query.Options) (query.Session, error)
}

var (
	_ snapshotReader = (*postgres.Target)(nil)
	_ snapshotReader = (*sandbox.Target)(nil)
)

// Run exports what req asks from t to dest. report, when not nil, gets the
// progress: rows written of an estimated total (Message says it is an
// estimate) and bytes written. On error no file of the failing step is
// left at its final name; files published before it stay and are listed.
func Run(ctx context.Context, t crm.Target, req Request, dest destination.Destination, report func(jobs.Progress)) (Result, error) {
	if report == nil {
		report = func(jobs.Progress) {}
	}
	reader, ok := t.(snapshotReader)
	if !ok {
		return Result{}, apperr.New(apperr.Invalid, "%s cannot be exported from", t.Describe())
	}
	p, err := newPlan(ctx, t, req)
	if err != nil {
		return Result{}, err
	}
	sess, err := reader.BeginRead(ctx, query.Options{Zone: p.zone, Workers: req.Workers})
	if err != nil {
		return Result{}, err
	}
	defer sess.Close()
	w := &writer{sess: sess, dest: dest, plan: p, report: report}
	if err := w.estimate(ctx); err != nil {
		return Result{}, err
	}
	res := Result{Notes: p.notes}
	if p.zip != "" {
		res.Files, err = w.putZip(ctx)
	} else {
		res.Files, err = w.putFiles(ctx)
	}
	for _, f := range res.Files {
		if f.Archive == "" {
			res.Rows += f.Rows
		}
	}
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	return res, nil
}
