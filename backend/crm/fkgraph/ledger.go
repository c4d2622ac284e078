package fkgraph

import (
	"encoding/json"
	"fmt"
)

// LedgerRows are the rows of a delete-ledger query (batch, deleted, failed
// as JSON text) as both database drivers return them (pgx.Rows, *sql.Rows).
type LedgerRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ReadLedger reads the committed batches of a delete job from rows, by
// number, each marked Skipped (an earlier run committed it).
func ReadLedger(rows LedgerRows) (map[int]BatchResult, error) {
	out := map[int]BatchResult{}
	for rows.Next() {
		var r BatchResult
		var failed string
		if err := rows.Scan(&r.Seq, &r.Deleted, &failed); err != nil {
			return nil, fmt.Errorf("read delete ledger: %w", err)
		}
		_ = json.Unmarshal([]byte(failed), &r.Failed)
		r.Skipped = true
		out[r.Seq] = r
	}
	return out, rows.Err()
}
