// Package pgtest gives tests a real, throwaway PostgreSQL database.
//
// The server comes from BATCHDESK_TEST_PG (default
// postgres://postgres@127.0.0.1:5432/postgres). Each call to NewDatabase
// creates a fresh database and drops it when the test ends. When the server
// does not answer, the test is skipped with one loud line — except under
// CI=true, where it fails, so CI can never pass by skipping everything.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultDSN is the server used when BATCHDESK_TEST_PG is not set.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/postgres"

// ServerDSN returns the admin DSN of the test server.
func ServerDSN() string {
	if v := os.Getenv("BATCHDESK_TEST_PG"); v != "" {
		return v
	}
	return DefaultDSN
}

// Require returns the admin DSN after checking the server answers; it skips
// (or, under CI=true, fails) the test when it does not.
func Require(t testing.TB) string {
	t.Helper()
	dsn := ServerDSN()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required under CI=true: %v", redact(dsn), err)
		}
		t.Skipf("SKIPPING: no PostgreSQL at %s (%v) — set BATCHDESK_TEST_PG", redact(dsn), err)
	}
	conn.Close(ctx)
	return dsn
}

// NewDatabase creates a fresh database for the test and returns its DSN. The
// database is dropped (connections terminated) when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := Require(t)
	name := "bdtest_" + randomHex(6)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(admin, name) })
	return WithDatabase(admin, name)
}

// WithDatabase returns dsn with its database replaced by db.
func WithDatabase(dsn, db string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + db
	return u.String()
}

func dropDatabase(admin, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return strings.TrimSpace(u.String())
}
