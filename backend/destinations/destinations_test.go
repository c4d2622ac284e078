package destinations

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination/sftp"
	"batchdesk/backend/destination/sftp/sftptest"
	"batchdesk/backend/secrets"
	"batchdesk/backend/store"
)

type fixture struct {
	dir string
	svc *Service
	st  *store.Store
	sec *secrets.Store
	env map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("BATCHDESK_HOME", dir)
	t.Setenv("BATCHDESK_PASSPHRASE", "test passphrase")
	st, err := store.Open(filepath.Join(dir, "batchdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sec, err := secrets.Open(secrets.Options{Dir: dir, Mode: secrets.ModeFile})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir, svc: New(st, sec), st: st, sec: sec, env: map[string]string{}}
	f.svc.getenv = func(k string) string { return f.env[k] }
	return f
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := apperr.CodeOf(err); err == nil || got != code {
		t.Fatalf("want code %s, got %v (code %s)", code, err, got)
	}
}

// assertNotInDatabase reads the SQLite files raw: no secret may be there.
func (f *fixture) assertNotInDatabase(t *testing.T, secrets ...string) {
	t.Helper()
	for _, name := range []string{"batchdesk.db", "batchdesk.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(f.dir, name))
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Fatalf("%s holds the secret %q", name, s)
			}
		}
	}
}

func TestFolderDestination(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	out := filepath.Join(f.dir, "exports")
	os.Mkdir(out, 0o755)
	d, err := f.svc.Add(ctx, Input{Name: "backup", URL: out})
	if err != nil || d.Kind != KindLocal || d.URL != out {
		t.Fatalf("%+v %v", d, err)
	}
	if err := f.svc.Test(ctx, "backup"); err != nil {
		t.Fatal(err)
	}
	dest, err := f.svc.Resolve(ctx, "backup")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dest.Put(ctx, "a.csv", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "a.csv")); err != nil {
		t.Fatal(err)
	}
	if s, _ := f.svc.Describe(ctx, "backup"); s != "backup ("+out+")" {
		t.Fatalf("Describe = %q", s)
	}
	_, err = f.svc.Add(ctx, Input{Name: "backup", URL: out})
	wantCode(t, err, apperr.Conflict)
	_, err = f.svc.Add(ctx, Input{Name: "other", URL: "backup"})
	wantCode(t, err, apperr.Invalid)
	_, err = f.svc.Add(ctx, Input{Name: "pw", URL: out, Password: "x"})
	wantCode(t, err, apperr.Invalid)
	if err := f.svc.Remove(ctx, "backup"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.svc.Remove(ctx, "backup"), apperr.NotFound)
	// An unknown plain name is a folder (relative to here).
	if s, _ := f.svc.Describe(ctx, "backup"); !filepath.IsAbs(s) {
		t.Fatalf("Describe of a folder = %q", s)
	}
}

func TestOSSDestinationKeepsSecretOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const secret = "oss-secret-value-42"
	_, err := f.svc.Add(ctx, Input{Name: "oss", URL: "oss://bkt/backups", Endpoint: "oss-cn-hangzhou.aliyuncs.com", AccessKeyID: "LTAIkey"})
	wantCode(t, err, apperr.Invalid)
	d, err := f.svc.Add(ctx, Input{Name: "oss", URL: "oss://bkt/backups", Endpoint: "oss-cn-hangzhou.aliyuncs.com",
		AccessKeyID: "LTAIkey", AccessKeySecret: secret})
	if err != nil || !d.HasSecret || d.AccessKeyID != "LTAIkey" || d.URL != "oss://bkt/backups" {
		t.Fatalf("%+v %v", d, err)
	}
	if got, _ := f.sec.Get(SecretKey("oss")); got != secret {
		t.Fatalf("secret stored as %q", got)
	}
	dest, err := f.svc.Resolve(ctx, "oss")
	if err != nil || !strings.Contains(dest.Describe(), "oss://bkt/backups") {
		t.Fatalf("%v %v", dest, err)
	}
	desc, _ := f.svc.Describe(ctx, "oss")
	list, _ := f.svc.List(ctx)
	for _, s := range []string{desc, dest.Describe(), list[0].URL} {
		if strings.Contains(s, secret) {
			t.Fatalf("secret in %q", s)
		}
	}
	f.assertNotInDatabase(t, secret)
	if err := f.svc.Remove(ctx, "oss"); err != nil {
		t.Fatal(err)
	}
	if has, _ := f.sec.Has(SecretKey("oss")); has {
		t.Fatal("the secret outlived its destination")
	}
}

func TestResolveURLsFromEnvironment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.Resolve(ctx, "oss://bkt/p")
	wantCode(t, err, apperr.Invalid) // no endpoint or keys
	f.env[EnvOSSEndpoint] = "https://oss-cn-shanghai.aliyuncs.com"
	f.env[EnvOSSAccessKeyID] = "id"
	f.env[EnvOSSAccessKeySecret] = "secret"
	d, err := f.svc.Resolve(ctx, "oss://bkt/p")
	if err != nil || !strings.Contains(d.Describe(), "oss-cn-shanghai") {
		t.Fatalf("%v %v", d, err)
	}
	d, err = f.svc.Resolve(ctx, "ftp://me@files.example/out?tls=explicit")
	if err != nil || d.Describe() != "ftp://me@files.example:21/out (TLS)" {
		t.Fatalf("%v %v", d, err)
	}
	_, err = f.svc.Resolve(ctx, "ftp://me:pw@files.example/out")
	wantCode(t, err, apperr.Invalid)
	if s, _ := f.svc.Describe(ctx, "ftp://me@files.example/out?tls=explicit"); s != "ftp://me@files.example/out?tls=explicit" {
		t.Fatalf("Describe = %q", s)
	}
}

func TestSFTPHostKeyPinnedOnFirstUse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hostKey, _ := sftptest.NewSigner(t)
	srv := sftptest.Start(t, hostKey, "pa55 word", nil)
	fp := sftp.Fingerprint(hostKey.PublicKey())
	remote := filepath.Join(f.dir, "remote")
	url := "sftp://" + sftptest.User + "@127.0.0.1:" + strconv.Itoa(srv.Port) + "/" + remote // "//abs"

	_, err := f.svc.Add(ctx, Input{Name: "box", URL: url, Password: "pa55 word"})
	wantCode(t, err, apperr.Invalid)
	if !strings.Contains(err.Error(), fp) || !strings.Contains(err.Error(), "--accept-host-key") {
		t.Fatalf("first use: %v", err)
	}
	if _, err := f.svc.Get(ctx, "box"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("saved without an accepted key: %v", err)
	}

	d, err := f.svc.Add(ctx, Input{Name: "box", URL: url, Password: "pa55 word", AcceptHostKey: true})
	if err != nil || d.HostKey != fp || !d.HasSecret {
		t.Fatalf("%+v %v", d, err)
	}
	if err := f.svc.Test(ctx, "box"); err != nil {
		t.Fatal(err)
	}
	f.assertNotInDatabase(t, "pa55 word")

	// The server's key changes (here: the pinned one is replaced by
	// another): the next use is refused with both fingerprints.
	other, _ := sftptest.NewSigner(t)
	oldFP := sftp.Fingerprint(other.PublicKey())
	if err := f.st.PutKnownHost(ctx, store.KnownHost{Host: "127.0.0.1", Port: srv.Port, Key: sftp.MarshalKey(other.PublicKey()), Fingerprint: oldFP}); err != nil {
		t.Fatal(err)
	}
	before := srv.Logins()
	err = f.svc.Test(ctx, "box")
	wantCode(t, err, apperr.Conflict)
	if !strings.Contains(err.Error(), oldFP) || !strings.Contains(err.Error(), fp) {
		t.Fatalf("changed key: %v", err)
	}
	if srv.Logins() != before {
		t.Fatal("the client logged in despite the changed key")
	}
	_, err = f.svc.Add(ctx, Input{Name: "box2", URL: url, Password: "pa55 word"})
	wantCode(t, err, apperr.Conflict)
	if !strings.Contains(err.Error(), "Edit on the Destinations page") || !strings.Contains(err.Error(), "--accept-host-key") {
		t.Fatalf("the refusal does not say how to accept the new key: %v", err)
	}

	// An ad-hoc URL: password from the environment, key pinned by ?hostkey=.
	f.env[EnvSFTPPassword] = "pa55 word"
	if err := f.svc.Test(ctx, url+"?hostkey="+fp); err != nil {
		t.Fatal(err)
	}
}

func TestSFTPKeyFileAndPassphrase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hostKey, _ := sftptest.NewSigner(t)
	user, priv := sftptest.NewSigner(t)
	srv := sftptest.Start(t, hostKey, "", user.PublicKey())
	keyFile := filepath.Join(f.dir, "id_ed25519")
	os.WriteFile(keyFile, sftptest.PrivatePEM(t, priv, "open sesame"), 0o600)
	url := "sftp://" + sftptest.User + "@127.0.0.1:" + strconv.Itoa(srv.Port) + "/" + filepath.Join(f.dir, "remote")
	_, err := f.svc.Add(ctx, Input{Name: "k", URL: url, KeyFile: keyFile, KeyPassphrase: "open sesame", AcceptHostKey: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Test(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	f.assertNotInDatabase(t, "open sesame")
	// Ad hoc with ?key= and the passphrase from the environment.
	f.env[EnvSFTPKeyPassphrase] = "wrong"
	wantCode(t, f.svc.Test(ctx, url+"?key="+keyFile), apperr.AuthFailed)
	f.env[EnvSFTPKeyPassphrase] = "open sesame"
	if err := f.svc.Test(ctx, url+"?key="+keyFile); err != nil {
		t.Fatal(err)
	}
}
