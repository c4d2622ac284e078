package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm/query"
)

var _ query.Session = (*readSession)(nil)

// Tuning of a read session (variables so tests can make small tables
// parallel).
var (
	// defaultWorkers is how many COPY streams read one large object: two
	// on a two-core laptop (measured best there), up to four on more.
	defaultWorkers = max(2, min(4, runtime.NumCPU()))
	// parallelPages is the least table size (8 kB pages) read in parallel
	// ranges; smaller tables are read by one stream, in ID order.
	parallelPages int64 = 4096
	// chunkPages is the pages of one ctid range: its CSV, buffered until
	// it is its turn, is a few MB.
	chunkPages int64 = 512
)

// readSession is a consistent read: a REPEATABLE READ transaction whose
// snapshot (pg_export_snapshot) parallel workers import.
type readSession struct {
	t        *Target
	opt      query.Options
	coord    *pgxpool.Conn
	snapshot string
	tidRange bool // the server scans ctid ranges (PostgreSQL 14+)

	extra []*pgxpool.Conn // more parallel readers, opened on the first parallel read
	types map[string]colTypes
}

// BeginRead starts a consistent read of the CRM for an export: every Copy
// of the session sees the same snapshot. Close it.
func (t *Target) BeginRead(ctx context.Context, opt query.Options) (query.Session, error) {
	conn, err := t.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect for the export: %w", err)
	}
	s := &readSession{t: t, opt: opt, coord: conn, types: map[string]colTypes{}}
	if s.opt.Workers <= 0 {
		s.opt.Workers = defaultWorkers
	}
	if max := int(t.pool.Config().MaxConns); s.opt.Workers > max {
		s.opt.Workers = max
	}
	if err := s.begin(ctx, conn, ""); err != nil {
		conn.Release()
		return nil, err
	}
	var version int
	err = conn.QueryRow(ctx, "SELECT pg_export_snapshot(), current_setting('server_version_num')::int").Scan(&s.snapshot, &version)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("export the snapshot: %w", err)
	}
	s.tidRange = version >= 140000
	return s, nil
}

// begin opens the read-only REPEATABLE READ transaction on conn (importing
// snapshot when not "") with the session settings the CSV relies on.
func (s *readSession) begin(ctx context.Context, conn *pgxpool.Conn, snapshot string) error {
	if _, err := conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); err != nil {
		return fmt.Errorf("begin the export's transaction: %w", err)
	}
	if snapshot != "" {
		if _, err := conn.Exec(ctx, "SET TRANSACTION SNAPSHOT "+quoteLiteral(snapshot)); err != nil {
			return fmt.Errorf("share the export's snapshot: %w", err)
		}
	}
	zone := s.opt.Zone
	if zone == "" {
		zone = "UTC"
	}
	_, err := conn.Exec(ctx, "SET LOCAL standard_conforming_strings = on; SET LOCAL DateStyle = 'ISO, YMD'; "+
		"SET LOCAL IntervalStyle = 'iso_8601'; SET LOCAL extra_float_digits = 1; SET LOCAL TimeZone = "+quoteLiteral(zone))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "22023" {
		return apperr.Wrap(err, apperr.Invalid, "PostgreSQL does not know the time zone %q", truncate(zone))
	}
	if err != nil {
		return fmt.Errorf("set up the export's transaction: %w", err)
	}
	return nil
}

// Close ends the snapshot and returns the connections.
func (s *readSession) Close() error {
	ctx := context.Background()
	for _, c := range append([]*pgxpool.Conn{s.coord}, s.extra...) {
		if c == nil {
			continue
		}
		if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
			_ = c.Conn().Close(ctx) // a broken connection must not go back to the pool
		}
		c.Release()
	}
	s.coord, s.extra = nil, nil
	return nil
}

// table is what the server says about an object's table.
type table struct {
	pages, tuples int64
	plain         bool // an ordinary table (not a view or partitioned)
}

func (s *readSession) table(ctx context.Context, r *query.Read) (table, error) {
	var tb table
	var kind string
	err := s.coord.QueryRow(ctx, `SELECT pg_relation_size(c.oid) / current_setting('block_size')::int,
			c.reltuples::bigint, c.relkind::text
		FROM pg_catalog.pg_class c WHERE c.oid = to_regclass($1)`, tableOf(r.Object)).Scan(&tb.pages, &tb.tuples, &kind)
	if err != nil {
		return tb, fmt.Errorf("size of %s: %w", r.Object.APIName, err)
	}
	tb.plain = kind == "r"
	return tb, nil
}

// columnTypes returns the base type of each column of the object's table.
func (s *readSession) columnTypes(ctx context.Context, r *query.Read) (colTypes, error) {
	key := tableOf(r.Object)
	if ct, ok := s.types[key]; ok {
		return ct, nil
	}
	rows, err := s.coord.Query(ctx, `SELECT a.attname, CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
		WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`, key)
	if err != nil {
		return nil, fmt.Errorf("column types of %s: %w", r.Object.APIName, err)
	}
	defer rows.Close()
	ct := colTypes{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, fmt.Errorf("column types of %s: %w", r.Object.APIName, err)
		}
		ct[name] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("column types of %s: %w", r.Object.APIName, err)
	}
	s.types[key] = ct
	return ct, nil
}

// Estimate is the table's row estimate (the planner's statistics), an
// exact count for a small table without statistics, and at most len(IDs).
func (s *readSession) Estimate(ctx context.Context, r *query.Read) (int64, error) {
	tb, err := s.table(ctx, r)
	if err != nil {
		return 0, err
	}
	n := tb.tuples
	if n < 0 {
		if tb.pages > parallelPages {
			n = tb.pages * 50
		} else if err := s.coord.QueryRow(ctx, "SELECT count(*) FROM "+tableOf(r.Object)).Scan(&n); err != nil {
			return 0, fmt.Errorf("count %s: %w", r.Object.APIName, err)
		}
	}
	if r.IDs != nil && int64(len(r.IDs)) < n {
		n = int64(len(r.IDs))
	}
	return n, nil
}

// Copy writes r's records as CSV: a small table (or one needing ID order)
// from the session's own connection, a large one as ctid ranges read by
// parallel workers and written in range order.
func (s *readSession) Copy(ctx context.Context, r *query.Read, w io.Writer, progress query.Progress) (int64, error) {
	if s.coord == nil {
		return 0, errors.New("the export's read is closed")
	}
	types, err := s.columnTypes(ctx, r)
	if err != nil {
		return 0, err
	}
	tb, err := s.table(ctx, r)
	if err != nil {
		return 0, err
	}
	small := tb.pages < parallelPages
	single := small || r.HasRowKey() || r.IDs != nil || !s.tidRange || !tb.plain || s.opt.Workers < 2
	if single {
		// ID order for people and diffs where it is cheap, and where the
		// _key numbering needs it; a large table streams as it is stored.
		q, err := s.selectSQL(r, types, "", small || r.HasRowKey())
		if err != nil {
			return 0, err
		}
		cw := &lineCounter{w: w, progress: progress}
		tag, err := s.coord.Conn().PgConn().CopyTo(ctx, cw, "COPY ("+q+") TO STDOUT WITH (FORMAT csv)")
		if err != nil {
			return cw.lines, readError(r, err)
		}
		if progress != nil {
			progress(tag.RowsAffected())
		}
		return tag.RowsAffected(), nil
	}
	return s.copyRanges(ctx, r, types, tb.pages, w, progress)
}

// lineCounter passes writes through, counting lines for progress (a
// quoted cell with line breaks makes it an overcount until COPY's own
// count replaces it).
type lineCounter struct {
	w        io.Writer
	progress query.Progress
	lines    int64
	pending  int64
}

func (c *lineCounter) Write(p []byte) (int, error) {
	n := int64(bytes.Count(p, []byte{'\n'}))
	c.lines += n
	if c.pending += n; c.pending >= 10000 && c.progress != nil {
		c.pending = 0
		c.progress(c.lines)
	}
	return c.w.Write(p)
}

// readError names the object in a failed read.
func readError(r *query.Read, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return apperr.Wrap(err, apperr.Unavailable, "reading %s failed: %s (SQLSTATE %s)", r.Object.APIName, pgErr.Message, pgErr.Code)
	}
	return fmt.Errorf("read %s: %w", r.Object.APIName, err)
}

// chunk is one ctid range of a parallel read.
type chunk struct {
	lo, hi int64 // pages; hi < 0: to the end
	buf    *bytes.Buffer
	rows   int64
	err    error
	done   chan struct{}
}

// copyRanges reads pages [0, pages) and beyond in chunkPages ranges with
// the workers, each range into a buffer, and writes the buffers in range
// order. At most workers+2 buffers exist at once, so memory stays flat.
func (s *readSession) copyRanges(ctx context.Context, r *query.Read, types colTypes, pages int64, w io.Writer, progress query.Progress) (int64, error) {
	readers, err := s.readers(ctx)
	if err != nil {
		return 0, err
	}
	var chunks []*chunk
	for lo := int64(0); lo < pages; lo += chunkPages {
		chunks = append(chunks, &chunk{lo: lo, hi: lo + chunkPages, done: make(chan struct{})})
	}
	chunks[len(chunks)-1].hi = -1 // rows on pages added since the size was read
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	slots := make(chan struct{}, len(readers)+2)
	todo := make(chan *chunk)
	go func() {
		defer close(todo)
		for _, c := range chunks {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case todo <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	var wg sync.WaitGroup
	for _, conn := range readers {
		wg.Add(1)
		go func(conn *pgxpool.Conn) {
			defer wg.Done()
			for c := range todo {
				c.buf = pool.Get().(*bytes.Buffer)
				c.buf.Reset()
				c.rows, c.err = s.copyChunk(ctx, conn, r, types, c)
				close(c.done)
			}
		}(conn)
	}
	defer func() { cancel(); wg.Wait() }()

	var total int64
	for _, c := range chunks {
		select {
		case <-c.done:
		case <-ctx.Done():
			return total, ctx.Err()
		}
		if c.err != nil {
			return total, c.err
		}
		if _, err := c.buf.WriteTo(w); err != nil {
			return total, err
		}
		pool.Put(c.buf)
		c.buf = nil
		<-slots
		total += c.rows
		if progress != nil {
			progress(total)
		}
	}
	return total, nil
}

func (s *readSession) copyChunk(ctx context.Context, conn *pgxpool.Conn, r *query.Read, types colTypes, c *chunk) (int64, error) {
	extra := fmt.Sprintf("t.ctid >= '(%d,0)'::tid", c.lo)
	if c.hi >= 0 {
		extra += fmt.Sprintf(" AND t.ctid < '(%d,0)'::tid", c.hi)
	}
	q, err := s.selectSQL(r, types, extra, false)
	if err != nil {
		return 0, err
	}
	tag, err := conn.Conn().PgConn().CopyTo(ctx, c.buf, "COPY ("+q+") TO STDOUT WITH (FORMAT csv)")
	if err != nil {
		return 0, readError(r, err)
	}
	return tag.RowsAffected(), nil
}

// readers are the parallel readers, each in the session's snapshot: the
// session's own connection plus Workers-1 more, opened on first use.
func (s *readSession) readers(ctx context.Context) ([]*pgxpool.Conn, error) {
	for len(s.extra)+1 < s.opt.Workers {
		conn, err := s.t.pool.Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("connect a parallel reader: %w", err)
		}
		if err := s.begin(ctx, conn, s.snapshot); err != nil {
			conn.Release()
			return nil, err
		}
		s.extra = append(s.extra, conn)
	}
	return append([]*pgxpool.Conn{s.coord}, s.extra...), nil
}
