package connections

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/pgtest"
	"batchdesk/backend/secrets"
	"batchdesk/backend/store"
)

// fixture is a service over a real store and a real file-mode secrets store
// in a temporary data folder.
type fixture struct {
	dir string
	svc *Service
	st  *store.Store
	sec *secrets.Store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("BATCHDESK_HOME", dir)
	t.Setenv("BATCHDESK_PASSPHRASE", "test passphrase")
	t.Setenv("PGPASSWORD", "")
	st, err := store.Open(filepath.Join(dir, "batchdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sec, err := secrets.Open(secrets.Options{Dir: dir, Mode: secrets.ModeFile})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{dir: dir, svc: New(st, sec), st: st, sec: sec}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := apperr.CodeOf(err); err == nil || got != code {
		t.Fatalf("want code %s, got %v (code %s)", code, err, got)
	}
}

// splitDSN returns host, port, database and user of a test server DSN.
func splitDSN(t *testing.T, dsn string) (host string, port int, db, user string) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	port = 5432
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	return u.Hostname(), port, strings.TrimPrefix(u.Path, "/"), u.User.Username()
}

// withPassword puts pw into dsn's user info.
func withPassword(t *testing.T, dsn, pw string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), pw)
	return u.String()
}

func TestAddListTestRemove(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	f := newFixture(t)
	ctx := context.Background()
	const pw = "pw-moved-to-secrets-7c1e"
	c, err := f.svc.Add(ctx, Input{Name: " prod ", DSN: withPassword(t, dsn, pw)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "prod" || !c.HasPassword || strings.Contains(c.URL, pw) || c.Kind != "postgres" {
		t.Fatalf("added %+v", c)
	}
	if got, _ := f.sec.Get(SecretKey("prod")); got != pw {
		t.Fatalf("secret = %q", got)
	}
	_, err = f.svc.Add(ctx, Input{Name: "prod", DSN: dsn})
	wantCode(t, err, apperr.Conflict)
	if got, _ := f.sec.Get(SecretKey("prod")); got != pw {
		t.Fatalf("a refused duplicate changed the saved password: %q", got)
	}

	list, err := f.svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != SandboxName || !list[0].BuiltIn || list[0].Path != filepath.Join(f.dir, "sandbox.db") ||
		list[1].Name != "prod" || !list[1].HasPassword {
		t.Fatalf("list = %+v", list)
	}

	res, err := f.svc.Test(ctx, "prod")
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || !strings.HasPrefix(res.ServerVersion, "PostgreSQL ") || res.Millis < 0 {
		t.Fatalf("test = %+v", res)
	}
	t.Logf("test: %+v", res)

	spec, err := f.svc.Resolve(ctx, "prod")
	if err != nil || spec.Kind != crm.KindPostgres || spec.Password != pw || strings.Contains(spec.DSN, pw) {
		t.Fatalf("resolve = %+v, %v", spec, err)
	}

	wantCode(t, f.svc.Remove(ctx, SandboxName), apperr.Conflict)
	if err := f.svc.Remove(ctx, "prod"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.svc.Remove(ctx, "prod"), apperr.NotFound)
	if ok, _ := f.sec.Has(SecretKey("prod")); ok {
		t.Fatal("password left in the secrets store after Remove")
	}
	_, err = f.svc.Test(ctx, "prod")
	wantCode(t, err, apperr.NotFound)
	if list, _ := f.svc.List(ctx); len(list) != 1 {
		t.Fatalf("list after remove = %+v", list)
	}
}

func TestPasswordCluster(t *testing.T) {
	dsn, password := pgtest.PasswordCluster(t)
	f := newFixture(t)
	ctx := context.Background()
	host, port, db, user := splitDSN(t, dsn)

	if _, err := f.svc.Add(ctx, Input{Name: "right", Host: host, Port: port, Database: db, User: user,
		Password: password, SSLMode: "disable"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Add(ctx, Input{Name: "wrong", Host: host, Port: port, Database: db, User: user,
		Password: "not-the-password", SSLMode: "disable"}); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Test(ctx, "right")
	if err != nil || !res.OK {
		t.Fatalf("right password: %+v, %v", res, err)
	}
	res, err = f.svc.Test(ctx, "wrong")
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || res.Code != apperr.AuthFailed || res.Message == "" || strings.Contains(res.Message, "not-the-password") {
		t.Fatalf("wrong password: %+v", res)
	}
	t.Logf("wrong password: %s", res.Message)

	// VerifyPassword logs in with the typed password, not the saved one.
	if err := f.svc.VerifyPassword(ctx, "wrong", password); err != nil {
		t.Fatalf("verify right password: %v", err)
	}
	wantCode(t, f.svc.VerifyPassword(ctx, "right", "guess"), apperr.AuthFailed)
	wantCode(t, f.svc.VerifyPassword(ctx, "right", ""), apperr.AuthFailed)
	wantCode(t, f.svc.VerifyPassword(ctx, "nope", password), apperr.NotFound)
	if err := f.svc.VerifyPassword(ctx, SandboxName, "anything"); err != nil {
		t.Fatalf("sandbox has no password to check: %v", err)
	}

	// A URL with PGPASSWORD.
	t.Setenv("PGPASSWORD", password)
	res, err = f.svc.Test(ctx, dsn)
	if err != nil || !res.OK {
		t.Fatalf("URL + PGPASSWORD: %+v, %v", res, err)
	}
}

func TestUnreachable(t *testing.T) {
	admin := pgtest.Require(t)
	f := newFixture(t)
	ctx := context.Background()
	host, port, _, user := splitDSN(t, admin)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().(*net.TCPAddr).Port
	l.Close()

	tests := []struct {
		name string
		in   Input
		code string
		says string
	}{
		{"closed port", Input{Name: "closed", Host: "127.0.0.1", Port: closed, Database: "postgres", User: user, SSLMode: "disable"},
			apperr.Unavailable, "127.0.0.1:" + strconv.Itoa(closed)},
		{"missing database", Input{Name: "nodb", Host: host, Port: port, Database: "bd_missing_db_x", User: user},
			apperr.NotFound, "answered, but it has no database bd_missing_db_x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := f.svc.Add(ctx, tc.in); err != nil {
				t.Fatal(err)
			}
			res, err := f.svc.Test(ctx, tc.in.Name)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.Code != tc.code || !strings.Contains(res.Message, tc.says) {
				t.Fatalf("got %+v, want code %s and a message with %q", res, tc.code, tc.says)
			}
			t.Logf("%s: %s", tc.name, res.Message)
		})
	}
}

func TestPasswordNeverInStoreFile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const inURL = "url-pass-Zq81x"
	const inField = "field-pass-Kp22w"
	if _, err := f.svc.Add(ctx, Input{Name: "a", DSN: "postgres://loader:" + inURL + "@db.example.com:6432/crm?sslmode=require&search_path=crm"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Add(ctx, Input{Name: "b", Host: "db.example.com", Database: "crm", User: "loader", Password: inField}); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.Get(ctx, "a")
	if err != nil || c.Port != 6432 || c.Schema != "crm" || c.SSLMode != "require" || c.User != "loader" || !c.HasPassword {
		t.Fatalf("get a = %+v, %v", c, err)
	}
	if err := f.st.Close(); err != nil { // flush the WAL into the main file
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(f.dir)
	checked := 0
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(f.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, pw := range []string{inURL, inField} {
			if bytes.Contains(raw, []byte(pw)) {
				t.Errorf("%s contains the password %q", e.Name(), pw)
			}
		}
		if strings.HasPrefix(e.Name(), "batchdesk.db") {
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("store file not found")
	}
}

func TestResolve(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.Add(ctx, Input{Name: "copy", DSN: "sandbox:" + filepath.Join(f.dir, "copy.db")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Add(ctx, Input{Name: "nopw", Host: "db", Database: "crm", User: "u"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSWORD", "from-env")
	tests := []struct {
		in   string
		want crm.Spec
		code string
	}{
		{"sandbox", crm.Spec{Kind: crm.KindSandbox}, ""},
		{"Sandbox", crm.Spec{Kind: crm.KindSandbox}, ""},
		{"sandbox:/tmp/x.db", crm.Spec{Kind: crm.KindSandbox, Path: "/tmp/x.db"}, ""},
		{"copy", crm.Spec{Kind: crm.KindSandbox, Path: filepath.Join(f.dir, "copy.db")}, ""},
		{"nopw", crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u@db:5432/crm"}, ""},
		{"postgres://u@h/db", crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u@h/db", Password: "from-env"}, ""},
		{"postgres://u:p@h/db", crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u:p@h/db"}, ""},
		{"unknown", crm.Spec{}, apperr.NotFound},
		{"", crm.Spec{}, apperr.Invalid},
		{"mysql://h/db", crm.Spec{}, apperr.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := f.svc.Resolve(ctx, tc.in)
			if tc.code != "" {
				wantCode(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestAddInvalid(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		in   Input
	}{
		{"bad name", Input{Name: "sandbox", DSN: "postgres://u@h/db"}},
		{"not a URL", Input{Name: "x", DSN: "host=h dbname=db"}},
		{"mysql", Input{Name: "x", DSN: "mysql://u@h/db"}},
		{"no database", Input{Name: "x", DSN: "postgres://u@h"}},
		{"no user", Input{Name: "x", DSN: "postgres://h/db"}},
		{"two hosts", Input{Name: "x", DSN: "postgres://u@h1,h2/db"}},
		{"unknown param", Input{Name: "x", DSN: "postgres://u@h/db?application_name=a"}},
		{"bad sslmode", Input{Name: "x", DSN: "postgres://u@h/db?sslmode=sometimes"}},
		{"URL and fields", Input{Name: "x", DSN: "postgres://u@h/db", Host: "other"}},
		{"no host", Input{Name: "x", Database: "db", User: "u"}},
		{"bad port", Input{Name: "x", Host: "h", Port: 70000, Database: "db", User: "u"}},
		{"sandbox with password", Input{Name: "x", DSN: "sandbox:/tmp/a.db", Password: "p"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Add(ctx, tc.in)
			wantCode(t, err, apperr.Invalid)
		})
	}
	if list, _ := f.st.ListConnections(ctx); len(list) != 0 {
		t.Fatalf("refused input was saved: %+v", list)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"prod", true},
		{"客户 CRM (test)", true},
		{"a.b-c_d@e", true},
		{strings.Repeat("名", 64), true},
		{strings.Repeat("名", 65), false},
		{"", false},
		{"sandbox", false},
		{"SandBox", false},
		{"sandbox:copy", false},
		{"sandbox-copy", true},
		{"postgres://x", false},
		{"tab\there", false},
		{"new\nline", false},
		{"nul\x00", false},
		{"del\x7f", false},
		{" padded", false},
		{"padded ", false},
		{"bad\xffutf8", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateName(tc.name)
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok {
				wantCode(t, err, apperr.Invalid)
			}
		})
	}
}

func TestSecretsFailureRollsBack(t *testing.T) {
	f := newFixture(t)
	f.svc.secrets = failingSecrets{}
	ctx := context.Background()
	if _, err := f.svc.Add(ctx, Input{Name: "x", Host: "h", Database: "d", User: "u", Password: "p"}); err == nil {
		t.Fatal("want an error when the password cannot be saved")
	}
	if _, err := f.st.GetConnection(ctx, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("connection kept without its password: %v", err)
	}
}

type failingSecrets struct{}

func (failingSecrets) Get(string) (string, error) { return "", errors.New("locked") }
func (failingSecrets) Set(string, string) error   { return errors.New("locked") }
func (failingSecrets) Delete(string) error        { return errors.New("locked") }
func (failingSecrets) Has(string) (bool, error)   { return false, errors.New("locked") }

func TestSandbox(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	res, err := f.svc.Test(ctx, SandboxName)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || res.Objects < 5 {
		t.Fatalf("built-in sandbox: %+v", res)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "sandbox.db")); err != nil {
		t.Fatalf("sandbox not in the data folder: %v", err)
	}
	c, err := f.svc.Get(ctx, "sandbox")
	if err != nil || !c.BuiltIn || c.HasPassword {
		t.Fatalf("get sandbox = %+v, %v", c, err)
	}
}

// ExampleService_Add saves a connection whose password goes to the secrets
// store, never to the app database.
func ExampleService_Add() {
	dir, _ := os.MkdirTemp("", "connections-example-")
	defer os.RemoveAll(dir)
	st, _ := store.Open(filepath.Join(dir, "batchdesk.db"))
	defer st.Close()
	os.Setenv("BATCHDESK_PASSPHRASE", "example passphrase")
	defer os.Unsetenv("BATCHDESK_PASSPHRASE")
	sec, _ := secrets.Open(secrets.Options{Dir: dir, Mode: secrets.ModeFile})
	svc := New(st, sec)

	c, err := svc.Add(context.Background(), Input{Name: "prod", DSN: "postgres://loader:s3cret@db.example.com/crm?sslmode=require"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.URL, c.HasPassword)
	// Output: postgres://loader@db.example.com:5432/crm?sslmode=require true
}
