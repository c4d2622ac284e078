package crm_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/crm/sandbox"
	"batchdesk/backend/pgtest"
)

// wantCode checks err is an *apperr.Error with code and a message containing
// every part and none of the secrets.
func wantCode(t *testing.T, err error, code string, parts []string, secrets ...string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *apperr.Error", err, err)
	}
	if ae.Code != code {
		t.Errorf("code %q, want %q (message %q)", ae.Code, code, ae.Message)
	}
	for _, p := range parts {
		if !strings.Contains(ae.Message, p) {
			t.Errorf("message %q lacks %q", ae.Message, p)
		}
	}
	for _, s := range secrets {
		if strings.Contains(ae.Message, s) || strings.Contains(ae.Error(), s) {
			t.Errorf("message %q shows a password", ae.Message)
		}
	}
}

func withPassword(dsn, pw string) string {
	return strings.Replace(dsn, "postgres@", "postgres:"+pw+"@", 1)
}

func TestOpenPasswordCluster(t *testing.T) {
	dsn, pw := pgtest.PasswordCluster(t)
	ctx := context.Background()
	host := strings.Split(strings.Split(dsn, "@")[1], "/")[0]

	t.Run("wrong password in URL", func(t *testing.T) {
		_, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: withPassword(dsn, "wrong-pass-123")})
		wantCode(t, err, apperr.AuthFailed, []string{"wrong user name or password", host}, "wrong-pass-123", pw)
	})
	t.Run("wrong password override", func(t *testing.T) {
		_, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: withPassword(dsn, pw), Password: "nope-nope-9"})
		wantCode(t, err, apperr.AuthFailed, []string{"postgres@" + host}, "nope-nope-9", pw)
	})
	t.Run("right password override", func(t *testing.T) {
		tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		defer tg.Close()
		if strings.Contains(tg.Describe(), pw) {
			t.Errorf("Describe shows the password: %s", tg.Describe())
		}
		if err := crm.VerifyPassword(ctx, tg, pw); err != nil {
			t.Errorf("VerifyPassword(right): %v", err)
		}
		wantCode(t, crm.VerifyPassword(ctx, tg, "guess-1234"), apperr.AuthFailed, nil, "guess-1234")
	})
	t.Run("PGPASSWORD", func(t *testing.T) {
		t.Setenv("PGPASSWORD", pw)
		tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		tg.Close()
	})
	t.Run("missing database", func(t *testing.T) {
		missing := pgtest.WithDatabase(dsn, "no_such_db")
		_, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: missing, Password: pw})
		wantCode(t, err, apperr.NotFound, []string{"the server " + host + " answered, but it has no database no_such_db"}, pw)
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().String()
	l.Close()

	t.Run("missing database", func(t *testing.T) {
		dsn := pgtest.WithDatabase(pgtest.Require(t), "bd_missing_db")
		_, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: dsn})
		wantCode(t, err, apperr.NotFound, []string{"has no database bd_missing_db"})
	})
	t.Run("refused", func(t *testing.T) {
		_, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u:topsecret@" + closedPort + "/db"})
		wantCode(t, err, apperr.Unavailable, []string{"cannot reach " + closedPort, "refused"}, "topsecret")
	})
	t.Run("timeout", func(t *testing.T) {
		// A server that accepts the connection and never answers.
		mute, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer mute.Close()
		go func() {
			for {
				c, err := mute.Accept()
				if err != nil {
					return
				}
				defer c.Close()
			}
		}()
		start := time.Now()
		_, err = crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres,
			DSN: "postgres://u:topsecret@" + mute.Addr().String() + "/db?connect_timeout=1"})
		wantCode(t, err, apperr.Unavailable, []string{"cannot reach " + mute.Addr().String(), "timed out"}, "topsecret")
		if time.Since(start) > 10*time.Second {
			t.Errorf("took %s", time.Since(start))
		}
	})
	t.Run("bad URL", func(t *testing.T) {
		_, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: "postgres://u:topsecret@h/db?sslmode=sometimes"})
		wantCode(t, err, apperr.Invalid, []string{"invalid PostgreSQL connection URL"}, "topsecret")
	})
	t.Run("unknown kind", func(t *testing.T) {
		_, err := crm.Open(ctx, crm.Spec{Kind: "oracle"})
		wantCode(t, err, apperr.Invalid, nil)
	})
	t.Run("not a sandbox", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		tg, err := sandbox.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tg.DB().Exec("DROP TABLE catalog_field"); err != nil {
			t.Fatal(err)
		}
		tg.Close()
		_, err = crm.Open(ctx, crm.Spec{Kind: crm.KindSandbox, Path: path})
		wantCode(t, err, apperr.Invalid, []string{"not a Batchdesk sandbox"})
	})
	t.Run("sandbox folder missing", func(t *testing.T) {
		_, err := crm.Open(ctx, crm.Spec{Kind: crm.KindSandbox, Path: filepath.Join(t.TempDir(), "no", "such", "x.db")})
		wantCode(t, err, apperr.Unavailable, []string{"sandbox"})
	})
}

// TestOpenBuiltInSandbox: the first start creates $BATCHDESK_HOME/sandbox.db
// with the demo CRM; a file name with URI characters stays the file name.
func TestOpenBuiltInSandbox(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	t.Setenv("BATCHDESK_HOME", home)
	spec, err := crm.ParseSpec("sandbox")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := crm.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if _, err := os.Stat(filepath.Join(home, "sandbox.db")); err != nil {
		t.Fatalf("built-in sandbox not created: %v", err)
	}
	if o, err := tg.Object(ctx, "Account"); err != nil || o.Primary != "name" {
		t.Fatalf("demo CRM not installed: %v %+v", err, o)
	}
	if v, err := crm.ServerVersion(ctx, tg); err != nil || !strings.HasPrefix(v, "SQLite 3.") {
		t.Errorf("ServerVersion = %q, %v", v, err)
	}

	odd := filepath.Join(t.TempDir(), "copy #1 ?a=b%20.db")
	tg2, err := crm.Open(ctx, crm.Spec{Kind: crm.KindSandbox, Path: odd})
	if err != nil {
		t.Fatal(err)
	}
	tg2.Close()
	if _, err := os.Stat(odd); err != nil {
		t.Errorf("sandbox with an odd name not at its path: %v", err)
	}
}
