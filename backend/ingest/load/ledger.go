package load

import (
	"context"
	"encoding/json"

	"batchdesk/backend/crm"
	"batchdesk/backend/crm/crmdb"
)

type ledgerError struct {
	Line    int64  `json:"line"`
	Code    string `json:"code"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func encodeErrors(errs []RowError) []byte {
	out := make([]ledgerError, len(errs))
	for i, e := range errs {
		out[i] = ledgerError{e.Line, e.Code, e.Column, e.Message}
	}
	b, _ := json.Marshal(out)
	return b
}

func decodeErrors(b []byte) []RowError {
	var in []ledgerError
	_ = json.Unmarshal(b, &in)
	out := make([]RowError, len(in))
	for i, e := range in {
		out[i] = RowError{Line: e.Line, Code: e.Code, Column: e.Column, Message: e.Message}
	}
	return out
}

// ledgerBatch is w as the resume ledger records it.
func (l *Loader) ledgerBatch(w *work) crmdb.ImportBatch {
	return crmdb.ImportBatch{Job: l.plan.JobID, Stage: l.plan.Stage, Seq: w.seq, FirstLine: w.first, LastLine: w.last,
		Written: w.written, Added: w.added, Errors: string(encodeErrors(w.errs))}
}

// readLedger returns the batches of job/stage an earlier run committed.
func readLedger(ctx context.Context, lt ledgerTarget, job, stage string) (map[int]LedgerEntry, error) {
	got, err := lt.ImportLedger(ctx, job, stage)
	if err != nil {
		return nil, err
	}
	out := make(map[int]LedgerEntry, len(got))
	for _, b := range got {
		out[b.Seq] = LedgerEntry{Seq: b.Seq, FirstLine: b.FirstLine, LastLine: b.LastLine, Written: b.Written,
			Added: b.Added, Errors: decodeErrors([]byte(b.Errors))}
	}
	return out, nil
}

// Written returns the rows the CRM's resume ledger says job wrote, all
// stages together (0 when the CRM has no ledger yet). A restart asks it
// before running a job's rows again, so none is written twice.
func Written(ctx context.Context, target crm.Target, job string) (int64, error) {
	lt, err := ledgerOf(target)
	if err != nil {
		return 0, nil
	}
	return lt.ImportWritten(ctx, job)
}
