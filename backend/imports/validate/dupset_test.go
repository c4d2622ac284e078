package validate

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestDupSetSpillsExactly checks the duplicate set against a map over many
// spills, with real hashes and with every hash forced equal (collisions
// must never report a duplicate of a different value).
func TestDupSetSpillsExactly(t *testing.T) {
	old := memEntries
	memEntries = 1000
	defer func() { memEntries = old }()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	seed := maphash.MakeSeed()
	for _, tc := range []struct {
		name string
		rows int
		hash func(string) uint64
	}{
		{"real hashes", 60000, func(s string) uint64 { return maphash.String(seed, s) }},
		{"few hashes", 6000, func(s string) uint64 { return maphash.String(seed, s) % 7 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d dupSet
			want := map[string]int32{}
			r := rand.New(rand.NewPCG(1, 2))
			dups := 0
			for line := int32(2); line < int32(tc.rows)+2; line++ {
				key := fmt.Sprintf("K-%d", r.IntN(tc.rows*4))
				if line%97 == 0 {
					key = "" // an empty value is a value like any other
				}
				first, dup := d.addOrGet(tc.hash(key), key, line)
				w, seen := want[key]
				if dup != seen || (dup && first != w) {
					t.Fatalf("line %d key %q: got (%d, %v), want (%d, %v)", line, key, first, dup, w, seen)
				}
				if !seen {
					want[key] = line
				} else {
					dups++
				}
			}
			if d.err != nil {
				t.Fatal(d.err)
			}
			if len(d.runs) < 5 || dups == 0 {
				t.Fatalf("runs %d, dups %d: the test did not spill or found no duplicate", len(d.runs), dups)
			}
			d.close()
			if left, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "batchdesk-*")); len(left) > 0 {
				t.Fatalf("files left: %v", left)
			}
		})
	}
}
