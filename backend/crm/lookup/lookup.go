// Package lookup finds CRM records by name, for the condition builder's
// lookup values: the person types part of a name, picks the record, and
// the filter stores its ID; a stored ID is shown by its name again.
//
// In: an open crm.Target (crm/postgres or crm/sandbox), an object's API
// name (or table name), a search text or a few IDs. Out: Records (ID and
// name) whose name field — the object's primary attribute, else its
// "name" field — contains the text, case-insensitive (ASCII only on the
// sandbox, as SQLite's LIKE), names first that start with it, then by name
// and ID; at most Limit (MaxLimit) of them and whether there are more.
// The SQL has quoted identifiers and bound parameters; the text's LIKE
// wildcards (% and _) and the escape character are matched literally.
//
// Errors: *apperr.Error with code Invalid for a search text that is not
// valid UTF-8, holds a NUL character or is longer than MaxText characters,
// an unknown object, or an object without an ID or a name field; other
// errors are the driver's, wrapped with what was being read.
package lookup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
)

const (
	// DefaultLimit is how many records a search returns when not told.
	DefaultLimit = 20
	// MaxLimit is the most records one search or one Names call returns.
	MaxLimit = 100
	// MaxText is the longest search text, in characters.
	MaxText = 200
)

// Record is one record found: its ID and its name ("" when empty).
type Record struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Result is what a search found.
type Result struct {
	// Object is the object's API name; Field the API name of the field
	// searched (its primary attribute or "name").
	Object  string   `json:"object"`
	Field   string   `json:"field"`
	Records []Record `json:"records"`
	// More: more records match than were returned.
	More bool `json:"more"`
}

// fields are the object's table and its ID and name columns.
type fields struct {
	obj      *catalog.Object
	id, name *catalog.Field
}

// resolve finds the object and its ID and name fields.
func resolve(ctx context.Context, t crm.Target, object string) (fields, error) {
	obj, err := t.Object(ctx, object)
	if errors.Is(err, catalog.ErrUnknownObject) {
		return fields{}, apperr.New(apperr.Invalid, "%s has no object %q", t.Describe(), clip(object))
	}
	if err != nil {
		return fields{}, err
	}
	f := fields{obj: obj}
	if f.id, err = obj.Field("id"); err != nil || f.id.Column == "" {
		return fields{}, apperr.New(apperr.Invalid, "%s has no id column: its records cannot be looked up", obj.APIName)
	}
	f.name = obj.PrimaryField()
	if f.name == nil || f.name.Column == "" {
		if f.name, err = obj.Field("name"); err != nil || f.name.Column == "" {
			return fields{}, apperr.New(apperr.Invalid, "%s has no name field to search: type the record's ID", obj.APIName)
		}
	}
	return f, nil
}

// checkText refuses a search text no database should be sent.
func checkText(text string) error {
	switch {
	case !utf8.ValidString(text):
		return apperr.New(apperr.Invalid, "the search text is not valid UTF-8")
	case strings.ContainsRune(text, 0):
		return apperr.New(apperr.Invalid, "the search text holds a NUL character")
	case utf8.RuneCountInString(text) > MaxText:
		return apperr.New(apperr.Invalid, "the search text is longer than %d characters", MaxText)
	}
	return nil
}

// likeEscape makes text match literally inside a LIKE pattern whose
// escape character is a backslash.
func likeEscape(text string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text)
}

// Search returns up to limit records of object whose name contains text
// (limit <= 0: DefaultLimit; at most MaxLimit). An empty text lists the
// first records by name.
func Search(ctx context.Context, t crm.Target, object, text string, limit int) (Result, error) {
	if err := checkText(text); err != nil {
		return Result{}, err
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	f, err := resolve(ctx, t, object)
	if err != nil {
		return Result{}, err
	}
	text = strings.TrimSpace(text)
	contains, prefix := "%"+likeEscape(text)+"%", likeEscape(text)+"%"
	var recs []Record
	switch tg := t.(type) {
	case *postgres.Target:
		name := "CAST(r." + ident(f.name.Column) + " AS text)"
		q := "SELECT CAST(r." + ident(f.id.Column) + " AS text), coalesce(" + name + ", '') FROM " + pgTable(f.obj) + " r" +
			" WHERE " + name + " ILIKE $1 ESCAPE E'\\\\'" +
			" ORDER BY (" + name + " ILIKE $2 ESCAPE E'\\\\') DESC, " + name + ", r." + ident(f.id.Column) + " LIMIT $3"
		recs, err = pgRecords(ctx, tg, q, contains, prefix, limit+1)
	case *sandbox.Target:
		name := "CAST(r." + ident(f.name.Column) + " AS TEXT)"
		q := "SELECT CAST(r." + ident(f.id.Column) + " AS TEXT), coalesce(" + name + ", '') FROM " + ident(f.obj.Table) + " r" +
			" WHERE " + name + ` LIKE ? ESCAPE '\'` +
			" ORDER BY (" + name + ` LIKE ? ESCAPE '\'` + ") DESC, " + name + " COLLATE NOCASE, r." + ident(f.id.Column) + " LIMIT ?"
		recs, err = sqlRecords(ctx, tg.DB(), q, contains, prefix, limit+1)
	default:
		return Result{}, apperr.New(apperr.Invalid, "%s cannot look records up", t.Describe())
	}
	if err != nil {
		return Result{}, fmt.Errorf("search %s by %s: %w", f.obj.APIName, f.name.APIName, err)
	}
	res := Result{Object: f.obj.APIName, Field: f.name.APIName, Records: recs}
	if len(recs) > limit {
		res.Records, res.More = recs[:limit], true
	}
	return res, nil
}

var (
	uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)
)

// Names returns the names of the records of object with these IDs, in
// the order of ids; an ID no record has (or that cannot be one) is left
// out. At most MaxLimit IDs are looked up.
func Names(ctx context.Context, t crm.Target, object string, ids []string) ([]Record, error) {
	f, err := resolve(ctx, t, object)
	if err != nil {
		return nil, err
	}
	var keep []string
	seen := map[string]bool{}
	for _, id := range ids {
		if len(keep) == MaxLimit {
			break
		}
		id = strings.TrimSpace(id)
		if id == "" || seen[id] || !utf8.ValidString(id) || strings.ContainsRune(id, 0) || len(id) > 1000 {
			continue
		}
		seen[id] = true
		keep = append(keep, id)
	}
	out := []Record{}
	if len(keep) == 0 {
		return out, nil
	}
	var recs []Record
	switch tg := t.(type) {
	case *postgres.Target:
		// Compare in the column's own type where it is a known one, so the
		// primary key's index serves; values that cannot be of that type
		// match nothing.
		cmp, vals := "CAST(r."+ident(f.id.Column)+" AS text) = ANY($1::text[])", any(keep)
		switch f.id.DBType {
		case "uuid":
			cmp, vals = "r."+ident(f.id.Column)+" = ANY($1::uuid[])", filterStrings(keep, uuidRE.MatchString)
		case "int2", "int4", "int8":
			cmp, vals = "r."+ident(f.id.Column)+" = ANY($1::int8[])", filterStrings(keep, func(s string) bool {
				_, err := strconv.ParseInt(s, 10, 64)
				return err == nil
			})
		}
		q := "SELECT CAST(r." + ident(f.id.Column) + " AS text), coalesce(CAST(r." + ident(f.name.Column) + " AS text), '') FROM " +
			pgTable(f.obj) + " r WHERE " + cmp
		recs, err = pgRecords(ctx, tg, q, vals)
	case *sandbox.Target:
		q := "SELECT CAST(r." + ident(f.id.Column) + " AS TEXT), coalesce(CAST(r." + ident(f.name.Column) + " AS TEXT), '') FROM " +
			ident(f.obj.Table) + " r WHERE r." + ident(f.id.Column) + " IN (?" + strings.Repeat(", ?", len(keep)-1) + ")"
		args := make([]any, len(keep))
		for i, id := range keep {
			args[i] = id
		}
		recs, err = sqlRecords(ctx, tg.DB(), q, args...)
	default:
		return nil, apperr.New(apperr.Invalid, "%s cannot look records up", t.Describe())
	}
	if err != nil {
		return nil, fmt.Errorf("names of %s records: %w", f.obj.APIName, err)
	}
	byID := map[string]Record{}
	for _, r := range recs {
		byID[strings.ToLower(r.ID)] = r
	}
	for _, id := range keep {
		if r, ok := byID[strings.ToLower(id)]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

func filterStrings(ss []string, keep func(string) bool) []string {
	out := []string{}
	for _, s := range ss {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func pgTable(o *catalog.Object) string {
	if o.Schema == "" {
		return ident(o.Table)
	}
	return pgx.Identifier{o.Schema, o.Table}.Sanitize()
}

func pgRecords(ctx context.Context, t *postgres.Target, q string, args ...any) ([]Record, error) {
	rows, err := t.Pool().Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanRecords(rows)
}

func sqlRecords(ctx context.Context, db *sql.DB, q string, args ...any) ([]Record, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanRecords(rows)
}

// rowScanner is what pgx.Rows and *sql.Rows share for reading (id, name) rows.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

func scanRecords(rows rowScanner) ([]Record, error) {
	out := []Record{}
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// clip shortens a name for a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 80 {
		return s
	}
	return string([]rune(s)[:80]) + "…"
}
