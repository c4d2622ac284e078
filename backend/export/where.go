package export

import (
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/query"
)

// compileWhere compiles a filter on obj ("" = every record: nil).
func compileWhere(text string, obj *catalog.Object, zone string) (query.Condition, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	return nil, apperr.New(apperr.Invalid, "filters are not available in this build")
}
