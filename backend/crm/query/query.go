// Package query describes, without SQL, a read of CRM records as an export
// writes them: which object, which columns and how each is written, which
// records. The CRM targets (crm/postgres, crm/sandbox) render a Read to their
// own SQL and stream its rows as CSV records inside one consistent snapshot
// (a Session), so several objects read in one session agree with each other.
//
// In: a Read built by the export engine from the catalog. Out: CSV records
// (RFC 4180, "\n" line ends, no header) written to an io.Writer by a
// Session. Errors come from the targets: wrapped driver errors with short
// context, or *apperr.Error where the cause is the user's (a time zone the
// server does not know).
package query

import (
	"context"
	"io"

	"batchdesk/backend/catalog"
)

// Kind says how a column's cells are written.
type Kind int

const (
	// Value is the field's stored value, written so the importer reads it
	// back to the same value: dates YYYY-MM-DD, datetimes RFC 3339 with the
	// session zone's offset, booleans true/false, numbers with the column's
	// full scale and no grouping, multi-picklists joined by ";". A lookup's
	// Value is the referenced record's ID.
	Value Kind = iota
	// RefKey writes a lookup as the referenced record's first non-empty
	// Column.Keys field (its ID when all are empty or the record is gone).
	RefKey
	// TeamIDs writes a related-team field as its members' user IDs, joined
	// by ";" in ID order.
	TeamIDs
	// TeamKeys writes a related-team field as its members' first non-empty
	// Column.Keys field of the user, joined by ";" in that order.
	TeamKeys
	// RowKey is the record's number among the Read's records in ID order
	// (1, 2, …): the master file's _key column.
	RowKey
	// MasterRowKey is, for a detail Read, the RowKey of the master record
	// its Link field refers to (the detail's master column when the pair is
	// written without IDs).
	MasterRowKey
)

// Column is one column of a Read.
type Column struct {
	Kind Kind
	// Field is the field written (nil for RowKey and MasterRowKey).
	Field *catalog.Field
	// Target is the referenced object of a RefKey column, or the User
	// object of a TeamKeys column.
	Target *catalog.Object
	// Keys are Target's fields tried in order for RefKey and TeamKeys.
	Keys []*catalog.Field
	// ExcelSafe prefixes a text cell that starts with =, +, - or @ with an
	// apostrophe, so a spreadsheet does not run it as a formula.
	ExcelSafe bool
}

// Condition is a compiled filter (backend/filter's *Cond) rendered for
// each dialect; the qualifier is the table alias the fields belong to.
type Condition interface {
	// Postgres is a boolean SQL expression with every value as an escaped
	// literal (COPY cannot bind parameters).
	Postgres(qualifier string) (string, error)
	// SQLite is a boolean SQL expression with ? parameters and their values.
	SQLite(qualifier string) (string, []any, error)
}

// Read is the records of one object as an export writes them.
type Read struct {
	Object  *catalog.Object
	Columns []Column
	// Where keeps the records it matches (nil: every record).
	Where Condition
	// IDs, when not nil, keeps only the records with these IDs (valid
	// UUIDs, checked by the caller).
	IDs []string
	// SkipVoided leaves out records whose life_status is "invalid" (an
	// object without life_status has none to leave out).
	SkipVoided bool
	// Master, for a detail object, keeps only the records whose Link field
	// refers to one of Master's records.
	Master *Read
	// Link is the detail's field that refers to Master's object.
	Link *catalog.Field
	// Also are the detail's other masters in the same export (a detail of
	// two objects that are both read): its records are those whose Link
	// refers to one of Master's records or whose Also[i].Link refers to
	// one of Also[i].Master's.
	Also []MasterLink
}

// MasterLink is one more master of a detail Read and the detail's field
// that refers to it.
type MasterLink struct {
	Master *Read
	Link   *catalog.Field
}

// HasRowKey reports whether r writes a RowKey column (its records then come
// in ID order, from one stream).
func (r *Read) HasRowKey() bool {
	for _, c := range r.Columns {
		if c.Kind == RowKey {
			return true
		}
	}
	return false
}

// Options tune a Session.
type Options struct {
	// Zone is the IANA time zone whose offsets datetimes are written in
	// ("" = UTC).
	Zone string
	// Workers is how many parallel streams may read one large object
	// (0 = the target's default; 1 = never in parallel).
	Workers int
}

// Progress is how far a Copy got: records written so far.
type Progress func(rows int64)

// Session is a consistent read of a CRM: every Copy sees the same snapshot.
// It is not safe for concurrent use; Close ends the snapshot.
type Session interface {
	// Estimate is about how many records Copy(r) will write (an estimate,
	// not a count, on large objects).
	Estimate(ctx context.Context, r *Read) (int64, error)
	// Copy writes r's records to w as CSV records and returns how many it
	// wrote: in ID order for a small object and for one with a RowKey, in
	// storage order for a large PostgreSQL table (read in parallel
	// ranges). progress, when not nil, is called as records are written.
	Copy(ctx context.Context, r *Read, w io.Writer, progress Progress) (int64, error)
	// Close ends the read.
	Close() error
}
