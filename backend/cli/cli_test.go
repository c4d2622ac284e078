package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"batchdesk/backend/pgtest"
	"batchdesk/backend/workspace"
)

func TestRootCommand(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	r := runCLI(t, ctx, "--help")
	if r.code != 0 {
		t.Fatalf("--help: exit %d", r.code)
	}
	for _, c := range []string{"inspect", "validate", "import", "jobs", "presets", "connections", "demo-crm", "serve"} {
		if !strings.Contains(r.stdout, "  "+c) {
			t.Errorf("--help does not list %s:\n%s", c, r.stdout)
		}
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"connections", "list", "--nope"}, "unknown flag: --nope"},
		{"missing argument", []string{"connections", "add", "x"}, "accepts 2 arg"},
		{"missing --crm", []string{"demo-crm"}, `required flag(s) "crm" not set`},
		{"bad crm", []string{"demo-crm", "--crm", "mysql://x"}, "mysql://x"},
		{"serve on a public address", []string{"serve", "--addr", "0.0.0.0:0"}, "only loopback"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLIServe(t, ctx, c.args...)
			if r.code != ExitCannot {
				t.Fatalf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n"); lines != 0 || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("stderr must be one line containing %q, got %q", c.want, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "batchdesk: ") {
				t.Fatalf("stderr %q", r.stderr)
			}
		})
	}
}

// runCLIServe is runCLI with a Serve that only checks the address, as the
// real one does first.
func runCLIServe(t *testing.T, ctx context.Context, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	lazy := &workspace.Lazy{}
	defer lazy.Close()
	code := Run(ctx, args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Version: "test",
		Workspace: lazy.Get, Serve: func(ctx context.Context, o ServeOptions) error {
			return checkServeAddr(o)
		}})
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestPanicIsExit2(t *testing.T) {
	var errb bytes.Buffer
	code := Run(context.Background(), []string{"serve"}, Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{},
		Stderr: &errb, Serve: func(context.Context, ServeOptions) error { panic("boom") }})
	if code != ExitCannot || !strings.Contains(errb.String(), "internal error") || strings.Contains(errb.String(), "goroutine") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

func TestConnectionsAndDemoCRM(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	if r := runCLI(t, ctx, "connections", "add", "pg", dsn); r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "connections", "add", "pg", dsn); r.code != ExitCannot || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("duplicate add: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "demo-crm", "--crm", "pg"); r.code != 0 || !strings.Contains(r.stdout, "6 objects") {
		t.Fatalf("demo-crm: %d %s %s", r.code, r.stdout, r.stderr)
	}
	// Twice changes nothing and still succeeds.
	if r := runCLI(t, ctx, "demo-crm", "--crm", "pg"); r.code != 0 {
		t.Fatalf("demo-crm again: %d %s", r.code, r.stderr)
	}
	r := runCLI(t, ctx, "connections", "test", "pg")
	if r.code != 0 || !strings.Contains(r.stdout, "6 objects") {
		t.Fatalf("test: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "connections", "list", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"name":"sandbox"`) || !strings.Contains(r.stdout, `"name":"pg"`) {
		t.Fatalf("list: %d %s", r.code, r.stdout)
	}
	if r := runCLI(t, ctx, "connections", "remove", "pg"); r.code != 0 {
		t.Fatalf("remove: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "connections", "test", "pg"); r.code != ExitCannot {
		t.Fatalf("test after remove: %d", r.code)
	}
}

func TestConnectionsWrongPassword(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	dsn, _ := pgtest.PasswordCluster(t)
	var out, errb bytes.Buffer
	lazy := &workspace.Lazy{}
	defer lazy.Close()
	code := Run(ctx, []string{"connections", "add", "locked", dsn, "--password-stdin"}, Env{
		Stdin: strings.NewReader("not-the-password\n"), Stdout: &out, Stderr: &errb, Workspace: lazy.Get})
	if code != 0 {
		t.Fatalf("add: %d %s", code, errb.String())
	}
	r := runCLI(t, ctx, "connections", "test", "locked")
	if r.code != ExitCannot || !strings.Contains(r.stderr, "wrong user name or password") || strings.Contains(r.stderr, "not-the-password") {
		t.Fatalf("wrong password: %d %q", r.code, r.stderr)
	}
}
