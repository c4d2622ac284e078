package local

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

func TestPutPublishesWhole(t *testing.T) {
	dir := t.TempDir()
	d, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Put(context.Background(), "sub/dir/a.csv", strings.NewReader("id,name\n1,x\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "sub", "dir", "a.csv")
	if p.Location != want || p.Bytes != 12 || p.Name != "sub/dir/a.csv" {
		t.Fatalf("published %+v", p)
	}
	b, err := os.ReadFile(want)
	if err != nil || string(b) != "id,name\n1,x\n" {
		t.Fatalf("read back %q, %v", b, err)
	}
	assertNoPart(t, dir)
}

func TestPutReplacesStalePart(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.csv.part"), []byte("old half file that is longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _ := New(dir)
	if _, err := d.Put(context.Background(), "a.csv", strings.NewReader("new")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	if string(b) != "new" {
		t.Fatalf("got %q", b)
	}
	assertNoPart(t, dir)
}

type failingReader struct {
	n   int
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	k := min(len(p), f.n)
	for i := range p[:k] {
		p[i] = 'a'
	}
	f.n -= k
	return k, nil
}

func TestPutFailedReadLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	d, _ := New(dir)
	boom := errors.New("source broke")
	_, err := d.Put(context.Background(), "a.csv", &failingReader{n: 1 << 20, err: boom})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	assertEmpty(t, dir)
}

// cancelReader cancels the context after some bytes, like a user pressing
// Cancel mid-export.
type cancelReader struct {
	n      int
	cancel func()
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
		return len(p), nil
	}
	k := min(len(p), c.n)
	c.n -= k
	return k, nil
}

func TestPutCanceledLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	d, _ := New(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := d.Put(ctx, "big.csv", &cancelReader{n: 3 << 20, cancel: cancel})
	if apperr.CodeOf(err) != apperr.Canceled {
		t.Fatalf("err = %v (%s), want canceled", err, apperr.CodeOf(err))
	}
	assertEmpty(t, dir)
}

func TestPutKeepsOlderFileOnFailure(t *testing.T) {
	dir := t.TempDir()
	d, _ := New(dir)
	if _, err := d.Put(context.Background(), "a.csv", strings.NewReader("v1")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Put(context.Background(), "a.csv", &failingReader{n: 10, err: io.ErrUnexpectedEOF}); err == nil {
		t.Fatal("want an error")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	if string(b) != "v1" {
		t.Fatalf("older file changed to %q", b)
	}
	assertNoPart(t, dir)
}

func TestPutRefusesBadNames(t *testing.T) {
	d, _ := New(t.TempDir())
	for _, name := range []string{"", "/etc/passwd", "../x", "a/../../x", "a//b", "a\\b", "a\x00b", "./a"} {
		_, err := d.Put(context.Background(), name, strings.NewReader("x"))
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("Put(%q) = %v, want invalid", name, err)
		}
	}
}

func TestPutStreamsLargeFile(t *testing.T) {
	dir := t.TempDir()
	d, _ := New(dir)
	const size = 30 << 20
	p, err := d.Put(context.Background(), "big.bin", io.LimitReader(zeroReader{}, size))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p.Location); p.Bytes != size || st.Size() != size {
		t.Fatalf("bytes %d, on disk %d", p.Bytes, st.Size())
	}
}

func TestTest(t *testing.T) {
	dir := t.TempDir()
	d, _ := New(dir)
	if err := d.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertEmpty(t, dir)

	missing, _ := New(filepath.Join(dir, "nope"))
	if err := missing.Test(context.Background()); apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing folder: %v", err)
	}
	file := filepath.Join(dir, "f")
	os.WriteFile(file, nil, 0o644)
	asFile, _ := New(file)
	if err := asFile.Test(context.Background()); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("file as folder: %v", err)
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		d, _ := New(ro)
		if err := d.Test(context.Background()); apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("read-only folder: %v", err)
		}
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	es, _ := os.ReadDir(dir)
	if len(es) != 0 {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Fatalf("folder not empty: %v", names)
	}
}

func assertNoPart(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if strings.HasSuffix(p, ".part") {
			t.Errorf("left %s", p)
		}
		return nil
	})
}
