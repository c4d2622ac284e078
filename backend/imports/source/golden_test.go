package source

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// TestGolden inspects the real-world exports in testdata/ and compares the
// result (what `batchdesk inspect --json` prints, plus the row lines) with
// testdata/NAME.golden.json. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, p := range files {
		if strings.HasSuffix(p, ".golden.json") {
			continue
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			info, err := Inspect(p, Options{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(struct {
				Encoding  string              `json:"encoding"`
				Delimiter string              `json:"delimiter"`
				Header    []string            `json:"header"`
				RowCount  int                 `json:"rowCount"`
				Rows      []map[string]string `json:"rows"`
				Lines     []int               `json:"lines"`
				Records   [][]string          `json:"records"`
			}{info.Encoding, info.Delimiter, info.Header, info.RowCount, info.Rows, info.Lines, info.Records}, "", "  ")
			golden := strings.TrimSuffix(p, filepath.Ext(p)) + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(want), got) {
				t.Errorf("Inspect(%s) =\n%s\nwant\n%s", p, got, want)
			}
		})
	}
}
