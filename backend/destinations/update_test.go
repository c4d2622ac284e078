package destinations

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destination/ftp/ftptest"
	"batchdesk/backend/destination/sftp/sftptest"
)

// freePort is a TCP port nothing listens on (just now).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// assertNoSecret fails when v, as JSON (what the page gets), holds a secret.
func assertNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(string(b), s) {
			t.Fatalf("%s holds the secret %q", b, s)
		}
	}
}

// TestUpdateKeepsTheSecret edits an FTP destination as the page does: a
// new host and port with the password left empty keeps the stored password
// (Test logs in); a typed one replaces it; a rename takes the secret along;
// a new kind needs its own secret.
func TestUpdateKeepsTheSecret(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ftp := ftptest.Start(t, ftptest.Options{})
	root, port := ftp.Root, ftp.Port
	const pw = "pa55 word"
	// Saved against a port nothing listens on, and by name not address.
	d, err := f.svc.Add(ctx, Input{Name: "files", URL: fmt.Sprintf("ftp://exporter@localhost:%d/exports", freePort(t)), Password: pw})
	if err != nil || !d.HasSecret {
		t.Fatalf("%+v %v", d, err)
	}
	if err := f.svc.Test(ctx, "files"); err == nil {
		t.Fatal("Test worked against a closed port")
	}

	url := fmt.Sprintf("ftp://exporter@127.0.0.1:%d/exports", port)
	d, err = f.svc.Update(ctx, "files", Input{URL: url})
	if err != nil || d.Name != "files" || d.URL != url || !d.HasSecret {
		t.Fatalf("update the host: %+v %v", d, err)
	}
	assertNoSecret(t, d, pw)
	if err := f.svc.Test(ctx, "files"); err != nil {
		t.Fatalf("the kept password does not log in: %v", err)
	}
	dest, err := f.svc.Resolve(ctx, "files")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dest.Put(ctx, "a.csv", strings.NewReader("x\n")); err != nil {
		t.Fatal(err)
	}
	dest.Close()
	if _, err := os.Stat(filepath.Join(root, "exports", "a.csv")); err != nil {
		t.Fatal(err)
	}

	// A typed password replaces the stored one.
	if _, err := f.svc.Update(ctx, "files", Input{URL: url, Password: "wrong"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.svc.Test(ctx, "files"), apperr.AuthFailed)
	if _, err := f.svc.Update(ctx, "files", Input{URL: url, Password: pw}); err != nil {
		t.Fatal(err)
	}

	// A rename carries the secret; a taken name is refused.
	if _, err := f.svc.Add(ctx, Input{Name: "other", URL: f.dir}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Update(ctx, "files", Input{Name: "other", URL: url})
	wantCode(t, err, apperr.Conflict)
	_, err = f.svc.Update(ctx, "files", Input{Name: "a/b", URL: url})
	wantCode(t, err, apperr.Invalid)
	d, err = f.svc.Update(ctx, "files", Input{Name: "nightly ftp", URL: url})
	if err != nil || d.Name != "nightly ftp" || !d.HasSecret {
		t.Fatalf("rename: %+v %v", d, err)
	}
	if err := f.svc.Test(ctx, "nightly ftp"); err != nil {
		t.Fatalf("the renamed one does not log in: %v", err)
	}
	if _, err := f.svc.Get(ctx, "files"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("the old name stayed: %v", err)
	}
	if has, _ := f.sec.Has(SecretKey("files")); has {
		t.Fatal("the old name's secret stayed")
	}
	_, err = f.svc.Update(ctx, "files", Input{URL: url})
	wantCode(t, err, apperr.NotFound)

	// A new kind does not inherit the FTP password.
	_, err = f.svc.Update(ctx, "nightly ftp", Input{URL: "oss://bkt/p", Endpoint: "oss-cn-hangzhou.aliyuncs.com", AccessKeyID: "LTAIkey"})
	wantCode(t, err, apperr.Invalid)
	_, err = f.svc.Update(ctx, "nightly ftp", Input{URL: "sftp://exporter@127.0.0.1/out"})
	wantCode(t, err, apperr.Invalid)
	if got, _ := f.sec.Get(SecretKey("nightly ftp")); got != pw {
		t.Fatalf("a refused edit changed the secret to %q", got)
	}
	d, err = f.svc.Update(ctx, "nightly ftp", Input{URL: f.dir})
	if err != nil || d.Kind != KindLocal || d.HasSecret {
		t.Fatalf("to a folder: %+v %v", d, err)
	}
	list, _ := f.svc.List(ctx)
	assertNoSecret(t, list, pw)
	f.assertNotInDatabase(t, pw)
}

// TestUpdateOSSKeepsTheAccessKeySecret changes an OSS destination's prefix
// and key id without the secret.
func TestUpdateOSSKeepsTheAccessKeySecret(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const secret = "oss-secret-value-42"
	if _, err := f.svc.Add(ctx, Input{Name: "oss", URL: "oss://bkt/a", Endpoint: "oss-cn-hangzhou.aliyuncs.com", AccessKeyID: "id1", AccessKeySecret: secret}); err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.Update(ctx, "oss", Input{URL: "oss://bkt/b", Endpoint: "oss-cn-hangzhou.aliyuncs.com", AccessKeyID: "id2"})
	if err != nil || d.URL != "oss://bkt/b" || d.AccessKeyID != "id2" || !d.HasSecret {
		t.Fatalf("%+v %v", d, err)
	}
	assertNoSecret(t, d, secret)
	if got, _ := f.sec.Get(SecretKey("oss")); got != secret {
		t.Fatalf("secret now %q", got)
	}
	_, err = f.svc.Update(ctx, "oss", Input{URL: "oss://bkt/b", AccessKeyID: "id2"})
	wantCode(t, err, apperr.Invalid) // no endpoint
	f.assertNotInDatabase(t, secret)
}

// TestUpdateSFTPKeepsThePassphrase edits an SFTP destination with a key
// file: its URL (which names the key) back unchanged and no passphrase
// typed keeps the passphrase, and the pinned host key still holds.
func TestUpdateSFTPKeepsThePassphrase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hostKey, _ := sftptest.NewSigner(t)
	user, priv := sftptest.NewSigner(t)
	srv := sftptest.Start(t, hostKey, "", user.PublicKey())
	keyFile := filepath.Join(f.dir, "id_ed25519")
	os.WriteFile(keyFile, sftptest.PrivatePEM(t, priv, "open sesame"), 0o600)
	base := "sftp://" + sftptest.User + "@127.0.0.1:" + strconv.Itoa(srv.Port) + "/"
	d, err := f.svc.Add(ctx, Input{Name: "k", URL: base + filepath.Join(f.dir, "a"), KeyFile: keyFile, KeyPassphrase: "open sesame", AcceptHostKey: true})
	if err != nil {
		t.Fatal(err)
	}
	// The page sends back the URL it shows (with ?key=), a new folder.
	url := strings.Replace(d.URL, "/a?", "/b?", 1)
	if url == d.URL {
		t.Fatalf("URL %q has no folder a", d.URL)
	}
	d, err = f.svc.Update(ctx, "k", Input{URL: url})
	if err != nil || d.URL != url {
		t.Fatalf("%+v %v", d, err)
	}
	assertNoSecret(t, d, "open sesame")
	if err := f.svc.Test(ctx, "k"); err != nil {
		t.Fatalf("the kept passphrase does not open the key: %v", err)
	}
}
