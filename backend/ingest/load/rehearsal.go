package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
)

// Rehearsal is one transaction shared by the plans of a job (a master and
// its details), so details rehearse against the masters rehearsed before
// them. Set it as Plan.Session; Close rolls everything back.
type Rehearsal struct {
	mu sync.Mutex // serialises use of the transaction
	pg pgx.Tx
	db *sql.Tx
}

// BeginRehearsal opens the rehearsal transaction on target.
func BeginRehearsal(ctx context.Context, target crm.Target) (*Rehearsal, error) {
	r := &Rehearsal{}
	pg, lite, err := writerOf(target)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "cannot rehearse on a %s target", target.Kind())
	}
	if pg != nil {
		r.pg, err = pg.Pool().Begin(ctx)
	} else {
		r.db, err = lite.DB().BeginTx(ctx, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("begin rehearsal: %w", err)
	}
	return r, nil
}

// Close rolls the rehearsal back; nothing it did stays.
func (r *Rehearsal) Close(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var err error
	switch {
	case r.pg != nil:
		err = r.pg.Rollback(context.WithoutCancel(ctx))
		r.pg = nil
	case r.db != nil:
		err = r.db.Rollback()
		r.db = nil
	}
	if errors.Is(err, pgx.ErrTxClosed) || errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
