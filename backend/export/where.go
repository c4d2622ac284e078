package export

import (
	"strings"
	"time"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/query"
	"batchdesk/backend/filter"
)

// compileWhere compiles a filter on obj, datetimes without an offset read
// in zone; "" is every record (nil). A bad filter is a positioned
// *filter.Error (code invalid).
func compileWhere(text string, obj *catalog.Object, zone string) (query.Condition, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.Local
	}
	c, err := filter.Compile(text, obj, filter.WithZone(loc))
	if err != nil || c == nil {
		return nil, err
	}
	return c, nil
}

var _ query.Condition = (*filter.Cond)(nil)
