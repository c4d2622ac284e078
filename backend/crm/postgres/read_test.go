package postgres

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/query"
	"batchdesk/backend/pgtest"
)

// openPlain opens a database with one plain table t of n rows.
func openPlain(t *testing.T, n int) (*Target, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, `CREATE TABLE item (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			name text NOT NULL, qty numeric(10,3), seen timestamptz, ok boolean);
		INSERT INTO item (name, qty, seen, ok)
			SELECT 'item ' || i, i / 7.0, timestamptz '2025-03-30 00:59:59+00' + i * interval '0.5 second', i % 3 = 0
			FROM generate_series(1, `+strconv.Itoa(n)+`) i;
		ANALYZE item`); err != nil {
		t.Fatal(err)
	}
	tg, err := Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg, conn
}

func allColumns(o *catalog.Object) []query.Column {
	cols := make([]query.Column, len(o.Fields))
	for i := range o.Fields {
		cols[i] = query.Column{Field: &o.Fields[i]}
	}
	return cols
}

func sortedLines(b []byte) []string {
	l := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	sort.Strings(l)
	return l
}

// TestParallelRangesMatchOneStream: a table read in many ctid ranges by
// three workers writes the same records as one ordered stream, and none
// that were added after the snapshot.
func TestParallelRangesMatchOneStream(t *testing.T) {
	const rows = 20000
	tg, conn := openPlain(t, rows)
	ctx := context.Background()
	defer func(p, c int64) { parallelPages, chunkPages = p, c }(parallelPages, chunkPages)
	parallelPages, chunkPages = 8, 5

	obj, err := tg.Object(ctx, "item")
	if err != nil {
		t.Fatal(err)
	}
	r := &query.Read{Object: obj, Columns: allColumns(obj)}
	read := func(workers int, during func()) ([]byte, int64) {
		s, err := tg.BeginRead(ctx, query.Options{Zone: "Europe/Berlin", Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if during != nil {
			during()
		}
		var buf bytes.Buffer
		var last int64
		n, err := s.Copy(ctx, r, &buf, func(done int64) {
			if done < last {
				t.Errorf("progress went back from %d to %d", last, done)
			}
			last = done
		})
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes(), n
	}
	one, n1 := read(1, nil)
	many, n3 := read(3, func() {
		if _, err := conn.Exec(ctx, "INSERT INTO item (name) SELECT 'late ' || i FROM generate_series(1, 500) i"); err != nil {
			t.Fatal(err)
		}
	})
	if n1 != rows || n3 != rows {
		t.Fatalf("rows: one stream %d, parallel %d, want %d (the late rows are after the snapshot)", n1, n3, rows)
	}
	if a, b := sortedLines(one), sortedLines(many); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("parallel ranges wrote other records than one stream")
	}
	if bytes.Equal(one, many) {
		t.Log("parallel output is in id order by chance")
	}
	// Datetimes: the zone's offset, microseconds only when there are any;
	// 2025-03-30 is the spring-forward day in Berlin.
	for _, want := range []string{"item 1,0.143,2025-03-30T01:59:59.500000+01:00,false", "item 2,0.286,2025-03-30T03:00:00+02:00,false",
		"item 3,0.429,2025-03-30T03:00:00.500000+02:00,true"} {
		if !bytes.Contains(one, []byte(want)) {
			t.Errorf("no line ending %q in:\n%.400s", want, one)
		}
	}
}

// TestCopyCanceledReleasesConnections: a read canceled mid-way returns the
// context's error and the session closes cleanly.
func TestCopyCanceledReleasesConnections(t *testing.T) {
	tg, _ := openPlain(t, 20000)
	defer func(p, c int64) { parallelPages, chunkPages = p, c }(parallelPages, chunkPages)
	parallelPages, chunkPages = 8, 5
	obj, err := tg.Object(context.Background(), "item")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := tg.BeginRead(ctx, query.Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	w := &cancelAfter{n: 3, cancel: cancel}
	if _, err := s.Copy(ctx, &query.Read{Object: obj, Columns: allColumns(obj)}, w, nil); err == nil {
		t.Fatal("a canceled read succeeded")
	}
	s.Close()
	// A connection broken by the cancel is destroyed by the pool in the
	// background after Release, so wait (bounded) for the count to settle.
	deadline := time.Now().Add(10 * time.Second)
	for tg.pool.Stat().AcquiredConns() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := tg.pool.Stat(); st.AcquiredConns() != 0 {
		t.Errorf("%d connections still acquired", st.AcquiredConns())
	}
	// The pool still works.
	if err := tg.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

type cancelAfter struct {
	n      int
	cancel func()
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return len(p), nil
}
