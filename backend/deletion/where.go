package deletion

import (
	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/fkgraph"
)

// compileFilter compiles a filter with the export's filter language.
func compileFilter(text string, obj *catalog.Object) (fkgraph.Condition, error) {
	return nil, apperr.New(apperr.Invalid, "this build cannot read filters yet: delete all records, or wait for the filter language")
}
