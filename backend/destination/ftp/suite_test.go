package ftp

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
)

// runSuite checks one server: dir is where the server stores opts.Dir.
func runSuite(t *testing.T, dir string, opts Options) {
	ctx := context.Background()
	mustNew := func(o Options) *Dest {
		d, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Run("put publishes whole over TLS", func(t *testing.T) {
		d := mustNew(opts)
		p, err := d.Put(ctx, "sub/a.csv", strings.NewReader("id,name\n1,张三\n"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "sub", "a.csv"))
		if err != nil || string(b) != "id,name\n1,张三\n" || p.Bytes != int64(len(b)) {
			t.Fatalf("read back %q (%v), published %+v", b, err, p)
		}
		if hasPart(listFiles(t, dir)) {
			t.Fatalf("a .part is left: %v", listFiles(t, dir))
		}
	})
	t.Run("empty file", func(t *testing.T) {
		if _, err := mustNew(opts).Put(ctx, "empty.csv", strings.NewReader("")); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(filepath.Join(dir, "empty.csv")); err != nil || st.Size() != 0 {
			t.Fatalf("empty.csv: %v %v", st, err)
		}
	})
	t.Run("30 MB stream", func(t *testing.T) {
		const size = 30 << 20
		p, err := mustNew(opts).Put(ctx, "big.csv", &genReader{size: size})
		if err != nil || p.Bytes != size {
			t.Fatalf("%+v %v", p, err)
		}
		sameAsGen(t, filepath.Join(dir, "big.csv"), size)
	})
	t.Run("broken transfer is resumed on a new connection", func(t *testing.T) {
		const size = 3 << 20
		o := opts
		b := &breaker{limit: 1 << 20}
		b.left.Store(1)
		o.wrap = b.wrap
		if _, err := mustNew(o).Put(ctx, "resumed.csv", &genReader{size: size}); err != nil {
			t.Fatal(err)
		}
		if b.broken.Load() == 0 {
			t.Fatal("the data connection was never broken")
		}
		sameAsGen(t, filepath.Join(dir, "resumed.csv"), size)
	})
	t.Run("broken past the retries leaves nothing", func(t *testing.T) {
		o := opts
		o.Retries = 1
		b := &breaker{limit: 64 << 10}
		b.left.Store(100)
		o.wrap = b.wrap
		_, err := mustNew(o).Put(ctx, "never.csv", &genReader{size: 1 << 20})
		if apperr.CodeOf(err) != apperr.Unavailable {
			t.Fatalf("err = %v (%s)", err, apperr.CodeOf(err))
		}
		assertAbsent(t, dir, "never.csv")
	})
	t.Run("source error leaves nothing", func(t *testing.T) {
		boom := errors.New("the database went away")
		_, err := mustNew(opts).Put(ctx, "src.csv", io.MultiReader(&genReader{size: 1 << 20}, errReader{boom}))
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the source's", err)
		}
		assertAbsent(t, dir, "src.csv")
	})
	t.Run("cancel leaves nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		_, err := mustNew(opts).Put(cctx, "canceled.csv", &cancelAfter{r: &genReader{size: 8 << 20}, n: 1 << 20, cancel: cancel})
		if apperr.CodeOf(err) != apperr.Canceled {
			t.Fatalf("err = %v (%s)", err, apperr.CodeOf(err))
		}
		assertAbsent(t, dir, "canceled.csv")
	})
	t.Run("test writes and removes a probe", func(t *testing.T) {
		before := len(listFiles(t, dir))
		if err := mustNew(opts).Test(ctx); err != nil {
			t.Fatal(err)
		}
		if after := listFiles(t, dir); len(after) != before {
			t.Fatalf("files now %v", after)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		o := opts
		o.Password = "wrong-password-x"
		err := mustNew(o).Test(ctx)
		if apperr.CodeOf(err) != apperr.AuthFailed || strings.Contains(err.Error(), o.Password) {
			t.Fatalf("err = %v (%s)", err, apperr.CodeOf(err))
		}
	})
	t.Run("TLS off on a server that forces it", func(t *testing.T) {
		o := opts
		o.TLS = false
		err := mustNew(o).Test(ctx)
		if apperr.CodeOf(err) == "" || err == nil || !strings.Contains(err.Error(), "TLS") {
			t.Fatalf("err = %v (%s)", err, apperr.CodeOf(err))
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		o := opts
		o.RootCAs = nil
		err := mustNew(o).Test(ctx)
		if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("err = %v (%s)", err, apperr.CodeOf(err))
		}
		o.InsecureSkipVerify = true
		if err := mustNew(o).Test(ctx); err != nil {
			t.Fatalf("with checks off: %v", err)
		}
	})
	t.Run("EPSV off", func(t *testing.T) {
		o := opts
		o.DisableEPSV = true
		if _, err := mustNew(o).Put(ctx, "pasv.csv", strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
	})
}

func assertAbsent(t *testing.T, dir, name string) {
	t.Helper()
	files := listFiles(t, dir)
	for _, f := range files {
		if f == name || f == name+".part" {
			t.Fatalf("%s left on the server: %v", f, files)
		}
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n -= int64(n)
	if c.n <= 0 {
		c.cancel()
	}
	return n, err
}
