package sandboxcopy

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"batchdesk/backend/crm/crmdb"
)

// InfoTable is the sandbox table that says where a copy came from.
const InfoTable = "batchdesk_copy_info"

// Info describes a sandbox copy: what it was made from and with which
// options, so it can be refreshed.
type Info struct {
	// From is the --from value (a saved connection's name, or the URL without
	// its password).
	From    string    `json:"from"`
	Options Options   `json:"options"`
	Created time.Time `json:"created"`
	Result  Result    `json:"result"`
}

// writeInfo records the copy's Info in the sandbox.
func writeInfo(ctx context.Context, lite *sql.Tx, p *plan, res Result) error {
	if _, err := lite.ExecContext(ctx, "CREATE TABLE "+crmdb.SQLite.Table(InfoTable)+
		" (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT"); err != nil {
		return err
	}
	info := Info{From: p.from, Options: p.opt, Created: time.Now().UTC(), Result: res}
	js, err := json.Marshal(info)
	if err != nil {
		return err
	}
	_, err = lite.ExecContext(ctx, "INSERT INTO "+crmdb.SQLite.Table(InfoTable)+" (key, value) VALUES ('info', ?)", string(js))
	return err
}

// ReadInfo reads the Info of the sandbox file at path (opened read-only).
// A sandbox that is no copy (the built-in one) gives ok false.
func ReadInfo(ctx context.Context, path string) (info Info, ok bool, err error) {
	db, err := sql.Open("sqlite", "file:"+strings.ReplaceAll(path, "?", "%3f")+"?mode=ro")
	if err != nil {
		return Info{}, false, err
	}
	defer db.Close()
	var js string
	err = db.QueryRowContext(ctx, "SELECT value FROM "+crmdb.SQLite.Table(InfoTable)+" WHERE key = 'info'").Scan(&js)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || err == sql.ErrNoRows {
			return Info{}, false, nil
		}
		return Info{}, false, fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal([]byte(js), &info); err != nil {
		return Info{}, false, fmt.Errorf("read %s: %w", path, err)
	}
	return info, true, nil
}
