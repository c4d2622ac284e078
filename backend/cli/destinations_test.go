package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"batchdesk/backend/destination/sftp"
	"batchdesk/backend/destination/sftp/sftptest"
	"batchdesk/backend/workspace"
)

func runCLIStdin(t *testing.T, ctx context.Context, stdin string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	lazy := &workspace.Lazy{}
	defer lazy.Close()
	code := Run(ctx, args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test", Workspace: lazy.Get})
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestDestinationsFolder(t *testing.T) {
	home := isolateHome(t)
	ctx := context.Background()
	out := filepath.Join(home, "exports")
	os.Mkdir(out, 0o755)
	if r := runCLI(t, ctx, "destinations", "add", "backup", out); r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	r := runCLI(t, ctx, "destinations", "list", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"name":"backup"`) || !strings.Contains(r.stdout, `"kind":"local"`) {
		t.Fatalf("list: %d %s", r.code, r.stdout)
	}
	if r := runCLI(t, ctx, "destinations", "test", "backup"); r.code != 0 || !strings.Contains(r.stdout, "ok: backup") {
		t.Fatalf("test: %d %s %s", r.code, r.stdout, r.stderr)
	}
	os.Remove(out)
	if r := runCLI(t, ctx, "destinations", "test", "backup"); r.code != ExitCannot || !strings.Contains(r.stderr, "does not exist") {
		t.Fatalf("test of a missing folder: %d %q", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "destinations", "remove", "backup"); r.code != 0 {
		t.Fatalf("remove: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "destinations", "test", "backup"); r.code != ExitCannot || !strings.Contains(r.stderr, `no destination named "backup"`) {
		t.Fatalf("test after remove: %d %q", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, "destinations", "list"); r.code != 0 || !strings.HasPrefix(r.stdout, "NAME") {
		t.Fatalf("empty list: %d %q", r.code, r.stdout)
	}
}

func TestDestinationsSFTPHostKey(t *testing.T) {
	home := isolateHome(t)
	ctx := context.Background()
	hostKey, _ := sftptest.NewSigner(t)
	srv := sftptest.Start(t, hostKey, "s3cret pass", nil)
	fp := sftp.Fingerprint(hostKey.PublicKey())
	url := "sftp://" + sftptest.User + "@127.0.0.1:" + strconv.Itoa(srv.Port) + "/" + filepath.Join(home, "remote")

	r := runCLIStdin(t, ctx, "s3cret pass\n", "destinations", "add", "box", url, "--password-stdin")
	if r.code != ExitCannot || !strings.Contains(r.stderr, fp) || !strings.Contains(r.stderr, "--accept-host-key") {
		t.Fatalf("unknown key: %d %q", r.code, r.stderr)
	}
	r = runCLIStdin(t, ctx, "s3cret pass\n", "destinations", "add", "box", url, "--password-stdin", "--accept-host-key")
	if r.code != 0 || !strings.Contains(r.stdout, "host key pinned: "+fp) {
		t.Fatalf("accept: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, ctx, "destinations", "test", "box")
	if r.code != 0 {
		t.Fatalf("test: %d %s", r.code, r.stderr)
	}
	r = runCLI(t, ctx, "destinations", "list")
	if !strings.Contains(r.stdout, fp) || !strings.Contains(r.stdout, "stored") || strings.Contains(r.stdout, "s3cret") {
		t.Fatalf("list: %s", r.stdout)
	}
	r = runCLIStdin(t, ctx, "s3cret pass\n", "destinations", "add", "oss", "oss://bkt/x", "--password-stdin")
	if r.code != ExitCannot || !strings.Contains(r.stderr, "does not apply") {
		t.Fatalf("password for OSS: %d %q", r.code, r.stderr)
	}
}
