package sftp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination/sftp/sftptest"
)

type fixture struct {
	srv  *sftptest.Server
	dir  string
	opts Options
	key  []byte // the user's private key, OpenSSH PEM
}

func newFixture(t *testing.T) fixture {
	hostKey, _ := sftptest.NewSigner(t)
	user, userPriv := sftptest.NewSigner(t)
	srv := sftptest.Start(t, hostKey, "pa55 word", user.PublicKey())
	dir := t.TempDir()
	return fixture{srv: srv, dir: dir, key: sftptest.PrivatePEM(t, userPriv, ""),
		opts: Options{Host: "127.0.0.1", Port: srv.Port, User: "exporter", Password: "pa55 word",
			Dir: filepath.Join(dir, "exports"), HostKey: MarshalKey(hostKey.PublicKey()), Backoff: 1}}
}

func mustNew(t *testing.T, o Options) *Dest {
	t.Helper()
	d, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPutWithPasswordAndKey(t *testing.T) {
	f := newFixture(t)
	withKey := f.opts
	withKey.Password, withKey.PrivateKey = "", f.key
	for name, o := range map[string]Options{"password": f.opts, "key": withKey} {
		t.Run(name, func(t *testing.T) {
			p, err := mustNew(t, o).Put(context.Background(), name+"/a.csv", strings.NewReader("id,name\n1,张三\n"))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(f.dir, "exports", name, "a.csv"))
			if err != nil || string(b) != "id,name\n1,张三\n" || p.Bytes != int64(len(b)) {
				t.Fatalf("%q %v %+v", b, err, p)
			}
			assertNoPart(t, f.dir)
		})
	}
}

func TestEncryptedKey(t *testing.T) {
	f := newFixture(t)
	user, priv := sftptest.NewSigner(t)
	f.srv.UserKey = user.PublicKey()
	o := f.opts
	o.Password, o.PrivateKey = "", sftptest.PrivatePEM(t, priv, "correct horse")
	if _, err := New(o); apperr.CodeOf(err) != apperr.AuthFailed || !strings.Contains(err.Error(), "passphrase") {
		t.Fatalf("no passphrase: %v", err)
	}
	o.Passphrase = "wrong"
	if _, err := New(o); apperr.CodeOf(err) != apperr.AuthFailed || !strings.Contains(err.Error(), "wrong") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	o.Passphrase = "correct horse"
	if err := mustNew(t, o).Test(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestReplacesOlderFile(t *testing.T) {
	f := newFixture(t)
	d := mustNew(t, f.opts)
	for _, body := range []string{"version one, longer", "v2"} {
		if _, err := d.Put(context.Background(), "a.csv", strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(f.dir, "exports", "a.csv")); string(b) != "v2" {
		t.Fatalf("got %q", b)
	}
}

func TestLargeStream(t *testing.T) {
	f := newFixture(t)
	const size = 30 << 20
	p, err := mustNew(t, f.opts).Put(context.Background(), "big.bin", io.LimitReader(pattern{}, size))
	if err != nil || p.Bytes != size {
		t.Fatalf("%+v %v", p, err)
	}
	st, err := os.Stat(filepath.Join(f.dir, "exports", "big.bin"))
	if err != nil || st.Size() != size {
		t.Fatalf("%v %v", st, err)
	}
}

func TestFailuresLeaveNothing(t *testing.T) {
	f := newFixture(t)
	d := mustNew(t, f.opts)
	boom := errors.New("the database went away")
	_, err := d.Put(context.Background(), "src.csv", io.MultiReader(io.LimitReader(pattern{}, 1<<20), errReader{boom}))
	if !errors.Is(err, boom) {
		t.Fatalf("source error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = d.Put(ctx, "canceled.csv", &cancelAfter{r: io.LimitReader(pattern{}, 16<<20), n: 2 << 20, cancel: cancel})
	if apperr.CodeOf(err) != apperr.Canceled {
		t.Fatalf("cancel: %v (%s)", err, apperr.CodeOf(err))
	}
	if files := listFiles(f.dir); len(files) != 0 {
		t.Fatalf("left: %v", files)
	}
}

// TestDroppedConnectionResumes: the server drops the first connection in
// the middle of the upload; Put logs in again, resumes NAME.part from what
// the server holds and publishes the whole file. Without retries the drop
// is the upload's failure (Unavailable) and leaves nothing; a refused login
// is never retried.
func TestDroppedConnectionResumes(t *testing.T) {
	f := newFixture(t)
	data := make([]byte, 3<<20)
	for i := range data {
		data[i] = byte(i*31 + i>>11)
	}
	f.srv.DropFirstAfter(1 << 20)
	p, err := mustNew(t, f.opts).Put(context.Background(), "sub/big.bin", bytes.NewReader(data))
	if err != nil || p.Bytes != int64(len(data)) {
		t.Fatalf("put after a dropped connection: %+v %v", p, err)
	}
	got, err := os.ReadFile(filepath.Join(f.dir, "exports", "sub", "big.bin"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("published %d bytes (%v), want the %d sent", len(got), err, len(data))
	}
	if n := f.srv.Logins(); n != 2 {
		t.Errorf("%d logins, want 2 (the dropped one and the resume)", n)
	}
	assertNoPart(t, f.dir)

	o := f.opts
	o.Retries = -1
	f.srv.DropFirstAfter(1 << 20)
	_, err = mustNew(t, o).Put(context.Background(), "once.bin", bytes.NewReader(data))
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("without retries: %v (%s)", err, apperr.CodeOf(err))
	}
	if _, serr := os.Stat(filepath.Join(f.dir, "exports", "once.bin")); serr == nil {
		t.Error("once.bin published after a failed upload")
	}
	assertNoPart(t, f.dir)

	o = f.opts
	o.Password = "wrong-password-x"
	before := f.srv.Conns()
	if _, err := mustNew(t, o).Put(context.Background(), "x.csv", strings.NewReader("x\n")); apperr.CodeOf(err) != apperr.AuthFailed {
		t.Fatalf("wrong password: %v", err)
	}
	if n := f.srv.Conns() - before; n != 1 {
		t.Errorf("a refused login was tried %d times, want once", n)
	}
}

func TestHostKeys(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	t.Run("first use shows the fingerprint and FetchHostKey reads it", func(t *testing.T) {
		o := f.opts
		o.HostKey = ""
		err := mustNew(t, o).Test(ctx)
		want := Fingerprint(f.srv.HostKey.PublicKey())
		var hk *HostKeyError
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), want) || !errors.As(err, &hk) || hk.Key != f.opts.HostKey {
			t.Fatalf("err = %v", err)
		}
		k, err := FetchHostKey(ctx, "127.0.0.1", f.srv.Port)
		if err != nil || Fingerprint(k) != want {
			t.Fatalf("FetchHostKey = %v, %v", k, err)
		}
		o.AcceptNewHostKey = true
		if err := mustNew(t, o).Test(ctx); err != nil {
			t.Fatalf("accepted: %v", err)
		}
		o.AcceptNewHostKey = false
		o.HostKeyFingerprint = want
		if err := mustNew(t, o).Test(ctx); err != nil {
			t.Fatalf("pinned by fingerprint: %v", err)
		}
		o.HostKeyFingerprint = "SHA256:not-this-one"
		if err := mustNew(t, o).Test(ctx); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("wrong fingerprint pin: %v", err)
		}
	})
	t.Run("a changed key is refused with both fingerprints", func(t *testing.T) {
		other, _ := sftptest.NewSigner(t)
		impostor := sftptest.Start(t, other, "pa55 word", nil)
		o := f.opts
		o.Port = impostor.Port
		o.AcceptNewHostKey = true // never overrides a pinned key
		_, err := mustNew(t, o).Put(ctx, "x.csv", strings.NewReader("secret rows"))
		was, now := Fingerprint(f.srv.HostKey.PublicKey()), Fingerprint(other.PublicKey())
		if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), was) || !strings.Contains(err.Error(), now) {
			t.Fatalf("err = %v (%s)", err, apperr.CodeOf(err))
		}
		// It says how to accept the new key the ways there are: the page's
		// Edit, or the CLI's remove and add --accept-host-key.
		for _, how := range []string{"destination's Edit on the Destinations page", "add it again with --accept-host-key"} {
			if !strings.Contains(err.Error(), how) {
				t.Errorf("the refusal does not say %q: %v", how, err)
			}
		}
		if strings.Contains(err.Error(), "accept the new key again") {
			t.Errorf("old wording: %v", err)
		}
		if impostor.Logins() != 0 {
			t.Fatal("the client logged in to a server with a changed key")
		}
	})
}

func TestLoginErrors(t *testing.T) {
	f := newFixture(t)
	o := f.opts
	o.Password = "wrong-password-x"
	err := mustNew(t, o).Test(context.Background())
	if apperr.CodeOf(err) != apperr.AuthFailed || strings.Contains(err.Error(), o.Password) {
		t.Fatalf("wrong password: %v", err)
	}
	o = f.opts
	o.Dir = "/proc/batchdesk-no-such/dir"
	if err := mustNew(t, o).Test(context.Background()); apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("bad folder: %v", err)
	}
	o = f.opts
	o.Port = 1
	if err := mustNew(t, o).Test(context.Background()); apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("nothing listening: %v", err)
	}
	for name, bad := range map[string]Options{
		"no host": {User: "u", Password: "p"}, "no user": {Host: "h", Password: "p"},
		"no secret": {Host: "h", User: "u"}, "bad key": {Host: "h", User: "u", PrivateKey: []byte("nope")},
		"bad pin": {Host: "h", User: "u", Password: "p", HostKey: "ssh-ed25519 !!!"},
	} {
		if _, err := New(bad); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}

type pattern struct{}

func (pattern) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i*31 + i>>8)
	}
	return len(p), nil
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

func listFiles(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func assertNoPart(t *testing.T, dir string) {
	t.Helper()
	for _, f := range listFiles(dir) {
		if strings.HasSuffix(f, ".part") {
			t.Fatalf("left %s", f)
		}
	}
}
