package postgres

import (
	"fmt"
	"strconv"
	"strings"

	"batchdesk/backend/catalog"
)

// idList renders "the id column of alias a is one of ids" for a read of
// o, in the id column's own type so its primary-key index serves: a
// uuid[] for a uuid key (and for a CRM object, whose keys are UUIDs), an
// int8[] for an integer key, the text itself otherwise (text, varchar;
// any other type compared as text). Every id must be a value of that type.
func idList(o *catalog.Object, a string, ids []string) (string, error) {
	typ := ""
	if f, err := o.Field("id"); err == nil {
		typ = f.DBType
	}
	switch typ {
	case "", "uuid":
		lit, err := uuidArray(ids)
		if err != nil {
			return "", err
		}
		return col(a, "id") + " = ANY (" + lit + ")", nil
	case "int2", "int4", "int8":
		var b strings.Builder
		b.WriteString("'{")
		for i, id := range ids {
			n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
			if err != nil {
				return "", fmt.Errorf("record ID %q is not an integer", truncate(id))
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(n, 10))
		}
		b.WriteString("}'::int8[]")
		return col(a, "id") + " = ANY (" + b.String() + ")", nil
	}
	elems := make([]string, len(ids))
	for i, id := range ids {
		elems[i] = quoteLiteral(id)
	}
	lhs := col(a, "id")
	switch typ {
	case "text", "varchar", "bpchar", "name":
	default:
		lhs = "CAST(" + lhs + " AS text)"
	}
	return lhs + " = ANY (ARRAY[" + strings.Join(elems, ",") + "]::text[])", nil
}
