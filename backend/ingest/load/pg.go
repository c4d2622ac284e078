package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
	"batchdesk/backend/ingest/validate"
)

// pgBackend loads into PostgreSQL through a pgx pool.
type pgBackend struct {
	pool *pgxpool.Pool
	plan Plan
	rtx  pgx.Tx      // the rehearsal transaction (nil unless rehearsing)
	rmu  *sync.Mutex // serialises use of rtx
	own  bool        // close rolls rtx back (not a shared Rehearsal)

	copyOnce sync.Once
	copy     *copyPlan // binary COPY of inserts (nil: pgx.CopyFrom)
}

// querier is a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func newPG(ctx context.Context, pool *pgxpool.Pool, plan Plan) (*pgBackend, error) {
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
		if err := ensurePGLedger(ctx, pool); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *pgBackend) q() querier {
	if b.rtx != nil {
		return b.rtx
	}
	return b.pool
}

func table(o *catalog.Object) pgx.Identifier {
	if o.Schema == "" {
		return pgx.Identifier{o.Table}
	}
	return pgx.Identifier{o.Schema, o.Table}
}

// crmTable names one of the CRM's own tables, beside the object's table.
func crmTable(o *catalog.Object, name string) string {
	schema := o.Schema
	if schema == "" {
		schema = crmdb.PGSchema
	}
	return pgx.Identifier{schema, name}.Sanitize()
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
	id := identity(obj, f)
	sql := fmt.Sprintf("SELECT %s::text, %s::text FROM %s WHERE %s = ANY($1::%s)",
		pgx.Identifier{f.Column}.Sanitize(), pgx.Identifier{id}.Sanitize(), table(obj).Sanitize(),
		pgx.Identifier{f.Column}.Sanitize(), pgArrayType(f))
	if b.rtx != nil {
		b.rmu.Lock()
		defer b.rmu.Unlock()
	}
	rows, err := b.q().Query(ctx, sql, values)
	if err != nil {
		return nil, fmt.Errorf("look up %s by %s: %w", obj.APIName, f.APIName, err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = append(out[k], v)
	}
	return out, rows.Err()
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
var errAlreadyDone = errors.New("batch already committed")

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
	if err := b.bisect(ctx, tx, l, w, w.rows, true); err != nil {
		return err
	}
	if l.obj.FromCatalog && w.written > 0 {
		_, err := tx.Exec(ctx, "INSERT INTO "+crmTable(l.obj, crmdb.TableAuditLog)+
			" (actor_id, object, action, record_count, job_id, detail) VALUES ($1, $2, $3, $4, $5, $6)",
			pgUUID(systemUser), l.obj.APIName, "import_"+string(l.plan.Mode), w.written, l.plan.JobID,
			fmt.Sprintf("batch %d, file lines %d–%d", w.seq, w.first, w.last))
		if err != nil {
			return fmt.Errorf("audit log of batch %d: %w", w.seq, err)
		}
	}
	if l.plan.JobID != "" && b.rtx == nil {
		if err := writePGLedger(ctx, tx, l.plan, w); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit batch %d: %w", w.seq, err)
	}
	return nil
}

// bisect applies rows inside a savepoint; when the server rejects them it
// splits them in two and tries each half, until each bad row is alone.
func (b *pgBackend) bisect(ctx context.Context, tx pgx.Tx, l *Loader, w *work, rows []prow, top bool) error {
	if len(rows) == 0 {
		return nil
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return err
	}
	err = b.apply(ctx, sp, l, w, rows, top)
	if err == nil {
		if err := sp.Commit(ctx); err != nil {
			return err
		}
		w.written += int64(len(rows))
		return nil
	}
	_ = sp.Rollback(ctx)
	if !dataError(err) {
		return err
	}
	if len(rows) == 1 {
		code, col, msg := Reason(err)
		w.errs = append(w.errs, RowError{Line: rows[0].line, Code: code, Column: col, Message: msg})
		return nil
	}
	mid := len(rows) / 2
	if err := b.bisect(ctx, tx, l, w, rows[:mid], false); err != nil {
		return err
	}
	failpoint(FailDuringBisect, w.seq)
	return b.bisect(ctx, tx, l, w, rows[mid:], false)
}

// apply writes rows: inserts by COPY, updates through the staging table,
// then the related teams.
func (b *pgBackend) apply(ctx context.Context, tx pgx.Tx, l *Loader, w *work, rows []prow, top bool) error {
	var ins, upd []*prow
	for i := range rows {
		if rows[i].insert {
			ins = append(ins, &rows[i])
		} else {
			upd = append(upd, &rows[i])
		}
	}
	if len(ins) > 0 {
		if err := b.insert(ctx, tx, l, w, ins, top); err != nil {
			return err
		}
	}
	if len(upd) > 0 && len(l.cols.update) > 0 {
		if err := b.update(ctx, tx, l, w, upd, top); err != nil {
			return err
		}
	}
	return b.teams(ctx, tx, l, rows)
}

// insert writes rows by COPY: binary rows encoded here when the table's
// column types allow, else pgx.CopyFrom. top: the failpoint halfway.
func (b *pgBackend) insert(ctx context.Context, tx pgx.Tx, l *Loader, w *work, ins []*prow, top bool) error {
	half := -1
	if top {
		half = len(ins) / 2
	}
	if p := b.binaryCopy(ctx, l); p != nil {
		ok, err := b.copyBinary(ctx, tx, l, p, w, ins, half)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	i := 0
	buf := make([]any, len(l.cols.insert)) // pgx encodes a row before asking for the next
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i >= len(ins) {
			return nil, nil
		}
		if i == half {
			failpoint(FailMidCopy, w.seq)
		}
		i++
		return l.insertValues(ins[i-1], w.now, true, buf), nil
	})
	_, err := tx.CopyFrom(ctx, table(l.obj), l.cols.insert, src)
	return err
}

// update copies rows into a temporary staging table and applies them with
// one UPDATE … FROM. The staging table's bd_keep array marks, per row, the
// columns a blank "keep" cell leaves alone.
func (b *pgBackend) update(ctx context.Context, tx pgx.Tx, l *Loader, w *work, rows []*prow, top bool) error {
	id := identity(l.obj, l.keyFld)
	stageName := "bd_stage_" + strings.ToLower(l.obj.Table)
	stage := pgx.Identifier{stageName}.Sanitize()
	cols := append([]string{id}, l.cols.update...)
	q := make([]string, len(cols))
	set := make([]string, len(l.cols.update))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	for i := range l.cols.update {
		if l.cols.updateSrc[i] >= 0 {
			set[i] = fmt.Sprintf("%s = CASE WHEN s.bd_keep[%d] THEN t.%s ELSE s.%s END", q[i+1], i+1, q[i+1], q[i+1])
		} else {
			set[i] = fmt.Sprintf("%s = s.%s", q[i+1], q[i+1])
		}
	}
	_, err := tx.Exec(ctx, fmt.Sprintf("CREATE TEMP TABLE IF NOT EXISTS %s ON COMMIT DROP AS SELECT %s, NULL::boolean[] AS bd_keep FROM %s WITH NO DATA",
		stage, strings.Join(q, ", "), table(l.obj).Sanitize()))
	if err == nil {
		_, err = tx.Exec(ctx, "TRUNCATE "+stage)
	}
	if err != nil {
		return fmt.Errorf("staging table: %w", err)
	}
	half := -1
	if top {
		half = len(rows) / 2
	}
	i := 0
	buf := make([]any, len(cols)+1)
	keep := make([]bool, len(l.cols.update))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i >= len(rows) {
			return nil, nil
		}
		if i == half {
			failpoint(FailMidCopy, w.seq)
		}
		i++
		buf[len(cols)] = nil
		if l.updateValues(rows[i-1], w.now, true, buf[:len(cols)], keep) {
			buf[len(cols)] = keep
		}
		return buf, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stageName}, append(cols, "bd_keep"), src); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, fmt.Sprintf("UPDATE %s AS t SET %s FROM %s AS s WHERE t.%s = s.%s",
		table(l.obj).Sanitize(), strings.Join(set, ", "), stage, q[0], q[0]))
	return err
}

// teams replaces the related team of rows whose team columns say so.
func (b *pgBackend) teams(ctx context.Context, tx pgx.Tx, l *Loader, rows []prow) error {
	if len(l.teams) == 0 {
		return nil
	}
	var replace []string
	var members [][]any
	for i := range rows {
		r := &rows[i]
		if !r.teamSet {
			continue
		}
		if !r.insert {
			replace = append(replace, r.id)
		}
		for _, m := range r.members() {
			members = append(members, []any{l.obj.APIName, pgUUID(r.id), pgUUID(m.user), m.role})
		}
	}
	tm := crmTable(l.obj, crmdb.TableTeamMembers)
	if len(replace) > 0 {
		if _, err := tx.Exec(ctx, "DELETE FROM "+tm+" WHERE object = $1 AND record_id = ANY($2::uuid[])", l.obj.APIName, replace); err != nil {
			return err
		}
	}
	if len(members) == 0 {
		return nil
	}
	schema := l.obj.Schema
	if schema == "" {
		schema = crmdb.PGSchema
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{schema, crmdb.TableTeamMembers},
		[]string{"object", "record_id", "user_id", "role"}, pgx.CopyFromRows(members))
	return err
}

// connectionLost reports whether err means the connection (not the data)
// failed, so the batch is worth another try.
func connectionLost(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "broken pipe") || strings.Contains(msg, "unexpected EOF")
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
