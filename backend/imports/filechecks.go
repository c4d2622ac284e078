package imports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/ingest/mapping"
	"batchdesk/backend/ingest/source"
	"batchdesk/backend/store"
)

// readLimits reads the settings that bound one value and one row of an
// import file.
func readLimits(ctx context.Context, st *store.Store) (source.Limits, error) {
	field, err := st.MaxFieldMB(ctx)
	if err != nil {
		return source.Limits{}, err
	}
	record, err := st.MaxRecordMB(ctx)
	if err != nil {
		return source.Limits{}, err
	}
	return source.Limits{MaxFieldBytes: int64(field) << 20, MaxRecordBytes: int64(record) << 20}, nil
}

// checkRequired refuses, before any row is read, an insert or upsert
// mapping that leaves required fields (without a database default) with
// no column, naming every one by label and API name. filled are fields the
// job fills itself (a detail's link to its master).
func checkRequired(obj *catalog.Object, m mapping.Mapping, filled ...string) error {
	if mode := m.EffectiveMode(); mode != mapping.Insert && mode != mapping.Upsert {
		return nil
	}
	mapped := map[string]bool{}
	for _, api := range filled {
		mapped[api] = true
	}
	for _, c := range m.Columns {
		if f, err := obj.Field(c.Field); err == nil {
			mapped[f.APIName] = true
		}
	}
	var missing []string
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if f.Required && !f.HasDefault && !f.System && !mapped[f.APIName] {
			name := f.APIName
			if f.LabelEN != "" && f.LabelEN != f.APIName {
				name = fmt.Sprintf("%s (%s)", f.LabelEN, f.APIName)
			}
			missing = append(missing, name)
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return apperr.New(apperr.Invalid, "%s is required, but no column of the file is mapped to it: map a column to it, or choose \"update\" to change existing records only", missing[0])
	}
	return apperr.New(apperr.Invalid, "%s are required, but no column of the file is mapped to them: map a column to each, or choose \"update\" to change existing records only",
		strings.Join(missing, ", "))
}

// requireRows refuses a file that has a header row and no data rows (rows
// whose cells are all empty do not count): there is nothing to import.
func requireRows(path string, f source.Format, maxMB int, lim source.Limits) error {
	opts, err := fileOptions(f, maxMB)
	if err != nil {
		return err
	}
	opts.Limits = lim
	sf, err := source.Open(path, opts)
	if err != nil {
		return FileError(path, err)
	}
	defer sf.Close()
	_, err = sf.Next()
	if errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "%s has a header row but no data rows: there is nothing to import", path)
	}
	if err != nil {
		return FileError(path, err)
	}
	return nil
}

// listColumns names a file's columns for a message: at most about 100
// characters of them, then how many there are.
func listColumns(header []string) string {
	var b strings.Builder
	for i, h := range header {
		if i > 0 {
			b.WriteString(", ")
		}
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(h) > 100 {
			if b.Len() == 0 {
				r := []rune(h)
				b.WriteString(string(r[:min(len(r), 60)]))
			}
			fmt.Fprintf(&b, "… (%d columns)", len(header))
			return b.String()
		}
		b.WriteString(h)
	}
	return b.String()
}
