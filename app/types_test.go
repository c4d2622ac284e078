package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTypeScriptIsCurrent fails when the committed frontend types differ
// from what the bound Go types generate: run `make types`.
func TestTypeScriptIsCurrent(t *testing.T) {
	want, err := TypeScript("..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", TypesFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(want, "\n")
		line := 0
		for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
			line++
		}
		t.Fatalf("%s is stale (first difference at line %d): run `make types` and commit it", TypesFile, line+1)
	}
	for _, m := range []string{"StartImport(req: ImportRequest): Promise<string>;", "url?: string;", "target?: string;", "UIReady(): Promise<null>;"} {
		if !strings.Contains(want, m) {
			t.Errorf("generated types lack %q", m)
		}
	}
}
