package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPresetsRoundTrip(t *testing.T) {
	isolateHome(t)
	ctx := context.Background()
	c := sandboxCRM(t)
	data := writeFile(t, "acc.csv", "Company,Sector\nPreset Co,Technology\n")

	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"presets", "save", "acme", data, "--object", "Account", "--crm", c, "--map", "Company=name", "--map", "Sector=industry"}, 0, `Saved preset "acme"`},
		{[]string{"presets", "list"}, 0, "acme"},
		{[]string{"presets", "show", "acme"}, 0, `"industry"`},
		{[]string{"presets", "rename", "acme", "acme2"}, 0, "Renamed"},
		{[]string{"presets", "show", "acme"}, 2, "acme"},
		{[]string{"presets", "export", "acme2", filepath.Join(t.TempDir(), "x", "no.json")}, 2, "cannot write"},
		{[]string{"presets", "delete", "nope"}, 2, "nope"},
	}
	for _, s := range steps {
		r := runCLI(t, ctx, s.args...)
		out := r.stdout + r.stderr
		if r.code != s.code || !strings.Contains(out, s.want) {
			t.Fatalf("%v: exit %d, output %q; want exit %d with %q", s.args, r.code, out, s.code, s.want)
		}
	}

	file := filepath.Join(t.TempDir(), "acme.json")
	if r := runCLI(t, ctx, "presets", "export", "acme2", file); r.code != 0 {
		t.Fatalf("export: %s", r.stderr)
	}
	var body map[string]any
	b, _ := os.ReadFile(file)
	if err := json.Unmarshal(b, &body); err != nil || body["version"] != float64(1) || body["object"] != "Account" || body["name"] != "acme2" {
		t.Fatalf("exported file = %s (%v)", b, err)
	}
	if r := runCLI(t, ctx, "presets", "delete", "acme2"); r.code != 0 {
		t.Fatalf("delete: %s", r.stderr)
	}
	if r := runCLI(t, ctx, "presets", "import", file); r.code != 0 || !strings.Contains(r.stdout, `"acme2"`) {
		t.Fatalf("import: %d %s %s", r.code, r.stdout, r.stderr)
	}

	// an import by saved name, and by file, with headers no matcher knows
	for _, preset := range []string{"acme2", file} {
		r := runCLI(t, ctx, "import", data, "--preset", preset, "--crm", c, "--json")
		if r.code != 0 {
			t.Fatalf("import --preset %s: %d %s %s", preset, r.code, r.stderr, r.stdout)
		}
		if s := decodeSummary(t, r.lastLine()); s.Succeeded != 1 {
			t.Fatalf("summary = %+v", s)
		}
	}

	bad := writeFile(t, "bad.json", `{"version": 2, "object": "Account", "columns": {}}`)
	if r := runCLI(t, ctx, "presets", "import", bad); r.code != 2 || !strings.Contains(r.stderr, "version") {
		t.Fatalf("bad version: %d %s", r.code, r.stderr)
	}
}
