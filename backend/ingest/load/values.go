package load

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/ingest/validate"
)

// canon returns the text form of a value as PostgreSQL's ::text would print
// it for the usual key types (so a file value can be matched against a
// query's col::text). nil gives "".
func canon(v any) string {
	if v == validate.Keep {
		return ""
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case validate.Decimal:
		return x.String()
	case []string:
		return strings.Join(x, ";")
	case pgtype.Date:
		if !x.Valid {
			return ""
		}
		return x.Time.Format("2006-01-02")
	case pgtype.UUID:
		if !x.Valid {
			return ""
		}
		return uuid.UUID(x.Bytes).String()
	case [16]byte:
		return uuid.UUID(x).String()
	case uuid.UUID:
		return x.String()
	case pgtype.Text:
		return x.String
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case pgtype.Numeric:
		if !x.Valid || x.Int == nil {
			return ""
		}
		return numericText(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func numericText(n pgtype.Numeric) string {
	s := n.Int.String()
	if n.Exp >= 0 {
		return s + strings.Repeat("0", int(n.Exp))
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	d := int(-n.Exp)
	for len(s) <= d {
		s = "0" + s
	}
	s = s[:len(s)-d] + "." + s[len(s)-d:]
	if neg {
		s = "-" + s
	}
	return s
}

// isIDType reports whether a field's values are record IDs (uuid columns).
func isIDType(t catalog.FieldType) bool {
	return t == catalog.UUID || t.References()
}

// blank reports whether a value counts as empty (validate.Keep included).
func blank(v any) bool {
	if v == validate.Keep {
		return true
	}
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []string:
		return len(x) == 0
	}
	return false
}

// pgUUID turns an ID text into the typed value pgx sends in binary.
func pgUUID(s string) any {
	u, err := uuid.Parse(s)
	if err != nil {
		return s
	}
	return pgtype.UUID{Bytes: u, Valid: true}
}

// sqliteValue turns a typed value into one database/sql on SQLite stores
// the way the sandbox does (text for IDs, numbers and dates).
func sqliteValue(v any) any {
	switch x := v.(type) {
	case validate.Decimal:
		return x.String()
	case pgtype.UUID:
		return canon(x)
	case [16]byte, uuid.UUID:
		return canon(x)
	case pgtype.Numeric:
		if !x.Valid || x.Int == nil {
			return nil
		}
		return numericText(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case pgtype.Date:
		if !x.Valid {
			return nil
		}
		return x.Time.Format("2006-01-02")
	case pgtype.Timestamptz:
		if !x.Valid {
			return nil
		}
		return crmdb.FormatTime(x.Time)
	case pgtype.Timestamp:
		if !x.Valid {
			return nil
		}
		return crmdb.FormatTime(x.Time)
	case time.Time:
		return crmdb.FormatTime(x)
	case pgtype.Text:
		if !x.Valid {
			return nil
		}
		return x.String
	case pgtype.Int8:
		if !x.Valid {
			return nil
		}
		return x.Int64
	case pgtype.Bool:
		if !x.Valid {
			return nil
		}
		return sqliteValue(x.Bool)
	case pgtype.Float8:
		if !x.Valid {
			return nil
		}
		return x.Float64
	case []string:
		return strings.Join(x, ";")
	}
	return v
}

// pgValue adapts a validated value for binary COPY into a column of field
// f: a multi-picklist's options are stored as one "a;b" text.
func pgValue(v any) any {
	if x, ok := v.([]string); ok {
		return strings.Join(x, ";")
	}
	return v
}

// newID returns a fresh record ID.

// randomIDs, set by the environment variable BATCHDESK_RANDOM_IDS=1, makes
// new records' IDs random (UUIDv4) like the database default would.
var randomIDs = os.Getenv("BATCHDESK_RANDOM_IDS") == "1"

// newRecordID is the ID of a new record when the ID column is a UUID and
// the file has none: a time-ordered UUIDv7 (RFC 9562), so the primary key
// index grows at its right edge instead of splitting random pages of a
// large table; random when randomIDs is set.
func newRecordID() string {
	if !randomIDs {
		if id, err := uuid.NewV7(); err == nil {
			return id.String()
		}
	}
	return uuid.NewString()
}

// looksLike reports whether s can be cast to the field's column type, so a
// query never fails on a value of the wrong shape.
func looksLike(f *catalog.Field, s string) bool {
	switch {
	case isIDType(f.Type):
		_, err := uuid.Parse(s)
		return err == nil
	case f.Type == catalog.Integer:
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil
	}
	return true
}
