package deletion

import (
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/fkgraph"
	"batchdesk/backend/filter"
)

// compileFilter compiles a filter with the export's filter language; blank
// text is nil (every record).
func compileFilter(text string, obj *catalog.Object) (fkgraph.Condition, error) {
	c, err := filter.Compile(text, obj)
	if err != nil || c == nil {
		return nil, err
	}
	return c, nil
}

var _ fkgraph.Condition = (*filter.Cond)(nil)
