package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"batchdesk/backend/workspace"
)

// cliResult is what one in-process run of the command line gave.
type cliResult struct {
	code           int
	stdout, stderr string
}

// lastLine is the last non-empty stdout line.
func (r cliResult) lastLine() string {
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	return lines[len(lines)-1]
}

// isolateHome points the data folder and the secrets at a temp dir.
func isolateHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("BATCHDESK_HOME", home)
	t.Setenv("BATCHDESK_SECRETS", "file")
	t.Setenv("BATCHDESK_PASSPHRASE", "test")
	return home
}

// runCLI runs `batchdesk args...` in-process with a workspace in
// $BATCHDESK_HOME (see isolateHome), opened lazily as main.go does.
func runCLI(t *testing.T, ctx context.Context, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	lazy := &workspace.Lazy{}
	defer lazy.Close()
	code := Run(ctx, args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Version: "test", Workspace: lazy.Get})
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func fixture(name string) string { return filepath.Join("testdata", "import", name) }

func TestInspectJSON(t *testing.T) {
	isolateHome(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"utf-8 with BOM", []string{"inspect", fixture("utf8bom.csv"), "--json"},
			`{"encoding":"utf-8-bom","delimiter":",","header":["name","industry","employees"],"rowCount":2,"rows":[{"name":"Acme","industry":"Technology","employees":"120"},{"name":"Bolt, Inc","industry":"Finance","employees":"45"}]}`},
		{"utf-16 LE", []string{"inspect", "--json", fixture("utf16.csv"), "--rows", "1"},
			`{"encoding":"utf-16le","delimiter":",","header":["name","industry","employees"],"rowCount":2,"rows":[{"name":"Acme","industry":"Technology","employees":"120"}]}`},
		{"gbk", []string{"inspect", "--json", "--encoding", "gbk", fixture("gbk.csv")},
			`{"encoding":"gb18030","delimiter":",","header":["客户名称","行业","员工人数"],"rowCount":2,"rows":[{"客户名称":"华为技术","行业":"Technology","员工人数":"1000"},{"客户名称":"上海银行","行业":"Finance","员工人数":"200"}]}`},
		{"semicolon", []string{"inspect", fixture("semicolon.csv"), "--json", "--rows=0"},
			`{"encoding":"utf-8","delimiter":";","header":["name","industry","employees"],"rowCount":2,"rows":[]}`},
		{"header order kept", []string{"inspect", "--json", fixture("zorder.csv")},
			`{"encoding":"utf-8","delimiter":",","header":["z","a","m"],"rowCount":1,"rows":[{"z":"1","a":"2","m":"3"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, context.Background(), c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if got := strings.TrimSpace(r.stdout); got != c.want {
				t.Fatalf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestInspectDetectsGBK(t *testing.T) {
	isolateHome(t)
	r := runCLI(t, context.Background(), "inspect", "--json", fixture("gbk-long.csv"))
	if r.code != 0 || !strings.Contains(r.stdout, `"encoding":"gb18030"`) || !strings.Contains(r.stdout, "客户名称") {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
}

func TestInspectHuman(t *testing.T) {
	isolateHome(t)
	r := runCLI(t, context.Background(), "inspect", fixture("semicolon.csv"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Encoding:   utf-8", "semicolon", "Rows:       2", "Acme", "LINE"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	isolateHome(t)
	empty := filepath.Join(t.TempDir(), "empty.csv")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"missing file":  {"inspect", "nope.csv"},
		"no file":       {"inspect"},
		"two files":     {"inspect", fixture("utf8bom.csv"), fixture("gbk.csv")},
		"bad encoding":  {"inspect", "--encoding", "klingon", fixture("utf8bom.csv")},
		"bad delimiter": {"inspect", "--delimiter", ";;", fixture("utf8bom.csv")},
		"empty file":    {"inspect", empty},
		"unknown flag":  {"inspect", "--frobnicate", fixture("utf8bom.csv")},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, context.Background(), args...)
			if r.code != ExitCannot {
				t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 || !strings.HasPrefix(r.stderr, "batchdesk: ") {
				t.Fatalf("want one line on stderr, got %q", r.stderr)
			}
		})
	}
}
