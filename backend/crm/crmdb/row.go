package crmdb

// Row is one seed row: values in the order of Cols. Values are neutral Go
// values (string, int, bool, time.Time, nil); Dialect converts them.
type Row struct {
	Table string
	Cols  []string
	Vals  []any
}
