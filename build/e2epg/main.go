// Command e2epg starts a throwaway PostgreSQL cluster that checks
// passwords (pgtest.PasswordCluster) with the demo CRM installed, for the
// end-to-end tests of the delete checks. It prints one JSON line,
// {"url": …, "password": …} (the URL without the password), then keeps the
// cluster until its standard input closes or it gets SIGTERM/SIGINT, and
// removes it. Exit status 3: no initdb on this machine (nothing started).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"batchdesk/backend/crm"
	"batchdesk/backend/pgtest"
)

// tb is the part of testing.TB that pgtest's cluster helpers use, for a
// command: Fatal ends the process after the cleanups.
type tb struct {
	testing.TB
	cleanups []func()
}

func (t *tb) Helper()                           {}
func (t *tb) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *tb) Fatal(args ...any)                 { t.exit(1, fmt.Sprint(args...)) }
func (t *tb) Fatalf(format string, args ...any) { t.exit(1, fmt.Sprintf(format, args...)) }
func (t *tb) Skip(args ...any)                  { t.exit(3, fmt.Sprint(args...)) }

func (t *tb) cleanup() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
	t.cleanups = nil
}

func (t *tb) exit(code int, msg string) {
	fmt.Fprintln(os.Stderr, "e2epg:", msg)
	t.cleanup()
	os.Exit(code)
}

func main() {
	t := &tb{}
	dsn, password := pgtest.PasswordCluster(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	withPw := *u
	withPw.User = url.UserPassword(u.User.Username(), password)
	ctx := context.Background()
	tg, err := crm.Open(ctx, crm.Spec{Kind: crm.KindPostgres, DSN: withPw.String()})
	if err != nil {
		t.Fatal(err)
	}
	if err := crm.InstallDemo(ctx, tg); err != nil {
		tg.Close()
		t.Fatal(err)
	}
	tg.Close()
	line, _ := json.Marshal(map[string]string{"url": dsn, "password": password})
	fmt.Println(string(line))

	stop := make(chan struct{}, 2)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-sig; stop <- struct{}{} }()
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); stop <- struct{}{} }()
	<-stop
	t.cleanup()
}
