package load

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/crm/postgres"
	"batchdesk/backend/ingest/validate"
)

// pgBackend loads into PostgreSQL through a pgx pool.
type pgBackend struct {
	pool *pgxpool.Pool
	plan Plan
	rtx  pgx.Tx      // the rehearsal transaction (nil unless rehearsing)
	rmu  *sync.Mutex // serialises use of rtx
	own  bool        // close rolls rtx back (not a shared Rehearsal)

	tableOnce sync.Once
	table     *pgTable // the target table's catalog (nil: unknown)
	planOnce  sync.Once
	insPlan   *copyPlan // COPY of inserts
	updPlan   *copyPlan // COPY into the staging table of updates
}

func newPG(ctx context.Context, t pgTarget, plan Plan) (*pgBackend, error) {
	pool := t.Pool()
	b := &pgBackend{pool: pool, plan: plan, rmu: &sync.Mutex{}}
	if r := plan.Session; r != nil {
		if r.pg == nil {
			return nil, fmt.Errorf("the rehearsal is not on this PostgreSQL target")
		}
		b.rtx, b.rmu = r.pg, &r.mu
		return b, nil
	}
	if plan.Rehearse {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return nil, fmt.Errorf("begin rehearsal: %w", err)
		}
		b.rtx, b.own = tx, true
		return b, nil
	}
	if plan.JobID != "" {
		if err := t.EnsureImportLedger(ctx); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *pgBackend) q() postgres.Querier {
	if b.rtx != nil {
		return b.rtx
	}
	return b.pool
}

// crmTable names one of the CRM's own tables, beside the object's table.
func crmTable(o *catalog.Object, name string) string {
	schema := o.Schema
	if schema == "" {
		schema = crmdb.PGSchema
	}
	return crmdb.QuoteIdent(schema, name)
}

// identity is the column that identifies a record of o: id, or (plain
// tables without one) the key field itself.
func identity(o *catalog.Object, key *catalog.Field) string {
	if f, err := o.Field("id"); err == nil && f.Column != "" {
		return f.Column
	}
	return key.Column
}

func (b *pgBackend) find(ctx context.Context, obj *catalog.Object, f *catalog.Field, values []string) (map[string][]string, error) {
	if b.rtx != nil {
		b.rmu.Lock()
		defer b.rmu.Unlock()
	}
	return postgres.LookupRecords(ctx, b.q(), obj, f, identity(obj, f), values)
}

func (b *pgBackend) close(ctx context.Context) error {
	if b.rtx != nil && !b.own {
		b.rtx = nil
		return nil
	}
	if b.rtx != nil {
		err := b.rtx.Rollback(context.WithoutCancel(ctx))
		b.rtx = nil
		if errors.Is(err, pgx.ErrTxClosed) {
			return nil
		}
		return err
	}
	return nil
}

// errAlreadyDone: the ledger already holds the batch (another try of it
// committed).
var errAlreadyDone = crmdb.ErrBatchRecorded

// write runs one batch in one transaction (a savepoint when rehearsing).
func (b *pgBackend) write(ctx context.Context, l *Loader, w *work) error {
	var tx pgx.Tx
	var err error
	if b.rtx != nil {
		b.rmu.Lock()
		defer b.rmu.Unlock()
		tx, err = b.rtx.Begin(ctx)
	} else {
		tx, err = b.pool.Begin(ctx)
	}
	if err != nil {
		return fmt.Errorf("begin batch %d: %w", w.seq, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	fastNumeric(tx.Conn())
	if err := b.applyBatch(ctx, tx, l, w); err != nil {
		return err
	}
	w.countAdded()
	if e, ok := l.audit(w); ok {
		d := crmdb.Postgres
		if l.obj.Schema != "" {
			d.Schema = l.obj.Schema
		}
		q, args := d.InsertAudit(e)
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("audit log of batch %d: %w", w.seq, err)
		}
	}
	if l.plan.JobID != "" && b.rtx == nil {
		if err := postgres.RecordImportBatch(ctx, tx, l.ledgerBatch(w)); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit batch %d: %w", w.seq, err)
	}
	return nil
}

// stageName is the temporary staging table of updates into l's table.
func stageName(l *Loader) string { return "bd_stage_" + strings.ToLower(l.obj.Table) }

// stage creates (once per transaction) and empties the staging table of
// updates: the identity, the update columns, bd_keep, an array marking per
// row the columns a blank "keep" cell leaves alone, and bd_ord, the row's
// place in the batch. It runs outside every savepoint, so rolled-back
// probes do not drop it.
func (b *pgBackend) stage(ctx context.Context, tx pgx.Tx, l *Loader) error {
	cols := append([]string{identity(l.obj, l.keyFld)}, l.cols.update...)
	_, err := tx.Exec(ctx, postgres.StagingSQL(stageName(l), crmdb.ObjectTable(l.obj), cols))
	if err == nil {
		_, err = tx.Exec(ctx, "TRUNCATE "+crmdb.QuoteIdent(stageName(l)))
	}
	if err != nil {
		return fmt.Errorf("staging table: %w", err)
	}
	return nil
}

// update applies the staged update rows idx with one UPDATE … FROM (all
// the staged rows, or those picked by bd_ord). top is unused: the rows
// were staged (and the mid-COPY failpoint passed) before.
func (b *pgBackend) update(ctx context.Context, tx pgx.Tx, l *Loader, br *batchRows, idx []int, top bool, seq int) error {
	var args []any
	picked := len(idx) < br.staged
	if picked {
		// Probes pick their rows from the staging table instead of
		// copying them again: nothing piles up in it.
		ords := make([]int32, len(idx))
		for j, i := range idx {
			ords[j] = int32(br.updOrd[i])
		}
		args = append(args, ords)
	}
	_, err := tx.Exec(ctx, postgres.UpdateFromSQL(crmdb.ObjectTable(l.obj), stageName(l), identity(l.obj, l.keyFld),
		l.cols.update, l.cols.keepable(), picked), args...)
	return err
}

// teams replaces the related team of rows whose team columns say so.
func (b *pgBackend) teams(ctx context.Context, tx pgx.Tx, l *Loader, rows []prow) error {
	if len(l.teams) == 0 {
		return nil
	}
	var replace []string
	var members []crmdb.TeamMember
	for i := range rows {
		r := &rows[i]
		if !r.teamSet {
			continue
		}
		if !r.insert {
			replace = append(replace, r.id)
		}
		members = append(members, r.members()...)
	}
	return postgres.ReplaceTeams(ctx, tx, l.obj.Schema, l.obj.APIName, replace, members)
}

// numericType encodes validate.Decimal values without math/big.
var numericType = &pgtype.Type{Name: "numeric", OID: pgtype.NumericOID, Codec: validate.NumericCodec{}}

// fastNumeric makes conn encode numerics with validate.NumericCodec (once
// per connection).
func fastNumeric(conn *pgx.Conn) {
	m := conn.TypeMap()
	if t, ok := m.TypeForOID(pgtype.NumericOID); ok && t == numericType {
		return
	}
	m.RegisterType(numericType)
}
