package deletion

import (
	"context"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/fkgraph"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/crm/sandbox"
)

// target is what a delete needs from a CRM: its foreign keys, a snapshot to
// count and capture in, the password probe, and batched deletes with their
// ledger. crm/postgres and crm/sandbox implement it.
type target interface {
	crm.Target
	Dialect() fkgraph.Dialect
	ForeignKeys(ctx context.Context) ([]fkgraph.ForeignKey, error)
	Snapshot(ctx context.Context, fn func(fkgraph.Querier) error) error
	PasswordChecked(ctx context.Context) (bool, error)
	VerifyPassword(ctx context.Context, password string) error
	DeleteLedger(ctx context.Context, job string) (map[int]fkgraph.BatchResult, error)
	DeleteBatch(ctx context.Context, b fkgraph.Batch) (fkgraph.BatchResult, error)
}

var (
	_ target = (*postgres.Target)(nil)
	_ target = (*sandbox.Target)(nil)
)

// open resolves and opens the CRM of a request.
func (s *Service) open(ctx context.Context, name string) (target, error) {
	if name == "" {
		return nil, apperr.New(apperr.Invalid, "no CRM given")
	}
	spec, err := s.ws.Conns.Resolve(ctx, name)
	if err != nil {
		return nil, err
	}
	t, err := crm.Open(ctx, spec)
	if err != nil {
		return nil, err
	}
	dt, ok := t.(target)
	if !ok {
		t.Close()
		return nil, apperr.New(apperr.Invalid, "%s cannot delete records", t.Describe())
	}
	return dt, nil
}
