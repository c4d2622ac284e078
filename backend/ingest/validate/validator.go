package validate

import (
	"fmt"
	"hash/maphash"
	"strings"
	"time"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/source"
)

// Target is one mapped column: where it is in the record and where it goes.
type Target struct {
	// Index is the column's position in the record.
	Index int
	// Header is the column's header name.
	Header string
	// Field is the target field.
	Field *catalog.Field
	// Cell converts the column's cells.
	Cell *Cell
}

// Ref is a reference a row makes to another record, for the bulk resolver:
// a lookup, master-detail or owner cell (one value), or a related-team cell
// (its members).
type Ref struct {
	// Target is the index into Validator.Targets (and Row.Values).
	Target int
	// Object is the referenced object's API name ("User" for owners and
	// teams).
	Object string
	// By is how to find the record: mapping.LookupAuto, LookupID,
	// LookupPrimary or a field API name.
	By string
	// Value is the text to resolve (lookup, master-detail, owner).
	Value string
	// Values are the members to resolve (related team; nil otherwise).
	Values []string
}

// Row is one validated record.
type Row struct {
	// Line is the file line the record starts on; Offset its byte offset.
	Line   int
	Offset int64
	// Values line up with Validator.Targets: a typed value (see Cell), nil
	// for NULL, Keep for "leave alone". Nil when the row has problems.
	Values []any
	// Refs lists the references to resolve in the CRM.
	Refs []Ref
	// Problems lists everything wrong with the row; the row is good when
	// it is empty.
	Problems []Problem
}

// OK reports whether the row has no problems.
func (r *Row) OK() bool { return len(r.Problems) == 0 }

// dupIndex remembers, per key column, each value seen and the line it was
// first seen on, exactly and in bounded memory (see dupSet).
type dupIndex struct {
	target int
	seen   dupSet
}

// Validator checks the records of one file against one object and
// mapping, one record at a time. It is not safe for concurrent use.
type Validator struct {
	obj     *catalog.Object
	mode    mapping.Mode
	targets []Target
	dups    []dupIndex
	seed    maphash.Seed
	stats   Stats
	missing []string
	nrefs   int   // reference columns
	slab    []any // Values of the next rows, handed out in slices
	refSlab []Ref // Refs of the next rows, likewise
	arena   arena // boxes the values of Validate
}

// newValues returns a zeroed slice for one row's values and an empty one
// for its references, cut from slabs shared by a few hundred rows (one
// allocation instead of two per row).
func (v *Validator) newValues() ([]any, []Ref) {
	n := len(v.targets)
	if len(v.slab) < n {
		v.slab = make([]any, n*256)
	}
	vals := v.slab[:n:n]
	v.slab = v.slab[n:]
	if v.nrefs == 0 {
		return vals, nil
	}
	if len(v.refSlab) < v.nrefs {
		v.refSlab = make([]Ref, v.nrefs*256)
	}
	refs := v.refSlab[:0:v.nrefs]
	v.refSlab = v.refSlab[v.nrefs:]
	return vals, refs
}

// New prepares a validator for a file with the given header. zone reads
// datetimes without an offset: the mapping's Zone when set, else zone, else
// time.Local. It fails when the mapping does not fit the object (see
// mapping.Check), when a required field has no column in the file on
// insert, or when the key field has none on update and upsert. Mapped
// columns the file lacks are otherwise skipped (see Missing): a preset made
// for a wider file still applies.
func New(obj *catalog.Object, m *mapping.Mapping, header []string, zone *time.Location) (*Validator, error) {
	if err := m.Check(obj); err != nil {
		return nil, err
	}
	if m.Zone != "" {
		if z, err := time.LoadLocation(m.Zone); err == nil {
			zone = z
		}
	}
	v := &Validator{obj: obj, mode: m.EffectiveMode(), seed: maphash.MakeSeed(),
		stats: Stats{ByCode: map[Code]int{}, ByColumn: map[string]int{}}}
	mapped := map[string]bool{}
	for i, h := range header {
		col, ok := m.Columns[h]
		if !ok {
			for mh, mc := range m.Columns {
				if strings.EqualFold(strings.TrimSpace(mh), strings.TrimSpace(h)) {
					col, ok = mc, true
				}
			}
		}
		if !ok {
			continue
		}
		f, err := obj.Field(col.Field)
		if err != nil {
			return nil, err
		}
		mapped[f.APIName] = true
		v.targets = append(v.targets, Target{Index: i, Header: h, Field: f, Cell: NewCell(f, h, col, v.mode, zone)})
	}
	for _, mh := range m.Headers() {
		found := false
		for _, t := range v.targets {
			found = found || strings.EqualFold(strings.TrimSpace(t.Header), strings.TrimSpace(mh))
		}
		if !found {
			v.missing = append(v.missing, mh)
		}
	}
	if v.mode == mapping.Insert {
		for _, f := range obj.Fields {
			if f.Required && !f.HasDefault && !f.System && !mapped[f.APIName] {
				return nil, fmt.Errorf("%s (%s) is required but no column of the file is mapped to it", nonEmpty(f.LabelEN, f.APIName), f.APIName)
			}
		}
	}
	key := keyField(obj, m.Key)
	if v.mode != mapping.Insert && key != "" && !mapped[key] {
		return nil, fmt.Errorf("records are identified by %s, but no column is mapped to it", key)
	}
	for i, t := range v.targets {
		if t.Field.Type.References() || t.Field.Type == catalog.RelatedTeam {
			v.nrefs++
		}
		if t.Field.Unique || (v.mode != mapping.Insert && t.Field.APIName == key) {
			v.dups = append(v.dups, dupIndex{target: i})
		}
	}
	return v, nil
}

// keyField is the API name of the key field ("" when none).
func keyField(obj *catalog.Object, key string) string {
	switch key {
	case "":
		return ""
	case mapping.KeyPrimary:
		if p := obj.PrimaryField(); p != nil {
			return p.APIName
		}
		return ""
	}
	if f, err := obj.Field(key); err == nil {
		return f.APIName
	}
	return ""
}

// Missing returns the mapping's headers that the file does not have.
func (v *Validator) Missing() []string { return v.missing }

// Targets returns the mapped columns in file order; Row.Values line up
// with it.
func (v *Validator) Targets() []Target { return v.targets }

// Stats returns the counts so far.
func (v *Validator) Stats() Stats { return v.stats }

// Validate checks one record from the source.
func (v *Validator) Validate(rec source.Record) Row {
	vals, refs := v.newValues()
	row := v.convert(rec, vals, refs, &v.arena)
	v.finish(&row, rec)
	return row
}

// convert checks the cells of one record into vals (len(Targets)). It
// only reads the validator, so workers may run it concurrently (each
// with its own arena).
// refs has length 0 and room for every reference column.
func (v *Validator) convert(rec source.Record, vals []any, refs []Ref, a *arena) Row {
	row := Row{Line: rec.Line, Offset: rec.Offset}
	if rec.Problem != nil {
		code := CodeRaggedRow
		switch rec.Problem.Code {
		case source.ErrQuote:
			code = CodeBadQuote
		case source.ErrInvalidText:
			code = CodeBadText
		}
		row.Problems = append(row.Problems, Problem{Line: int64(rec.Line), Code: code, Message: rec.Problem.Message,
			Value: truncate(strings.Join(rec.Fields, ","))})
		return row
	}
	for i := range v.targets {
		t := &v.targets[i]
		cell := ""
		if t.Index < len(rec.Fields) {
			cell = rec.Fields[t.Index]
		}
		val, p := t.Cell.convert(cell, a)
		if p != nil {
			p.Line = int64(rec.Line)
			row.Problems = append(row.Problems, *p)
			continue
		}
		vals[i] = val
		switch t.Cell.kind {
		case kRef:
			if s, ok := val.(string); ok {
				row.Refs = append(refs, Ref{Target: i, Object: refObject(t.Field), By: lookupBy(t.Cell.Column), Value: s})
				refs = row.Refs
			}
		case kTeam:
			if ms, ok := val.([]string); ok {
				row.Refs = append(refs, Ref{Target: i, Object: "User", By: lookupBy(t.Cell.Column), Values: ms})
				refs = row.Refs
			}
		}
	}
	row.Values = vals
	return row
}

// finish runs the checks that need the rows before (in-file duplicates)
// and counts; rows must come through it in file order.
func (v *Validator) finish(row *Row, rec source.Record) {
	v.stats.Rows++
	if rec.Problem == nil {
		for d := range v.dups {
			v.checkDup(&v.dups[d], row.Values, row, rec)
		}
	}
	if len(row.Problems) > 0 {
		row.Values, row.Refs = nil, nil
	}
	v.count(row)
}

func (v *Validator) checkDup(d *dupIndex, values []any, row *Row, rec source.Record) {
	val := values[d.target]
	if val == nil || val == Keep {
		return
	}
	t := &v.targets[d.target]
	var key string
	switch x := val.(type) {
	case string:
		key = x
		if t.Field.Type == catalog.Email {
			key = strings.ToLower(x)
		}
	case Decimal:
		key = x.String()
	default:
		key = fmt.Sprint(x)
	}
	h := maphash.String(v.seed, key)
	if first, dup := d.seen.addOrGet(h, key, int32(rec.Line)); dup {
		raw := ""
		if t.Index < len(rec.Fields) {
			raw = rec.Fields[t.Index]
		}
		row.Problems = append(row.Problems, Problem{Line: int64(rec.Line), Header: t.Header, Field: t.Field.APIName,
			Code: CodeDuplicateKey, Value: truncate(raw),
			Message: fmt.Sprintf("%q appears again: row %d has the same %s, which must be unique in the file", key, first, t.Cell.label())})
	}
}

// Close removes the files the in-file duplicate indexes spilled to disk
// (files past about half a million rows) and frees their memory. Stream
// calls it when it ends: a Validator streams one file.
func (v *Validator) Close() {
	for d := range v.dups {
		v.dups[d].seen.close()
	}
}

// dupErr is the first I/O error of a duplicate index's files.
func (v *Validator) dupErr() error {
	for d := range v.dups {
		if err := v.dups[d].seen.err; err != nil {
			return apperr.Wrap(err, apperr.Internal, "the in-file duplicate check could not use its temporary files: %v", err)
		}
	}
	return nil
}

func (v *Validator) count(row *Row) {
	if len(row.Problems) == 0 {
		v.stats.Valid++
		return
	}
	v.stats.Invalid++
	for _, p := range row.Problems {
		v.stats.ByCode[p.Code]++
		v.stats.ByColumn[p.Header]++
	}
}

func refObject(f *catalog.Field) string {
	if f.Target != "" {
		return f.Target
	}
	if f.Type == catalog.Owner {
		return "User"
	}
	return ""
}

func lookupBy(c mapping.Column) string {
	if c.LookupBy == "" {
		return mapping.LookupAuto
	}
	return c.LookupBy
}

// truncate cuts s to at most 200 bytes, on a character boundary.
func truncate(s string) string {
	if len(s) <= 200 {
		return s
	}
	cut := 200
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
