package source

import (
	"encoding/json"
	"errors"
	"testing"
)

// A Format is parsed once from the names people write and carried as
// JSON (a job's saved request) without losing what was chosen; a saved
// name ("tab") reads back as the character.
func TestFormatJSON(t *testing.T) {
	cases := []struct {
		name, in string
		want     Format
		out      string
	}{
		{"sniffed", `{}`, Format{}, `{}`},
		{"semicolon", `{"delimiter":";"}`, Format{Delimiter: ';'}, `{"delimiter":";"}`},
		{"tab by name", `{"encoding":"gb18030","delimiter":"tab"}`, Format{Encoding: "gb18030", Delimiter: '\t'}, `{"encoding":"gb18030","delimiter":"\t"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var f Format
			if err := json.Unmarshal([]byte(c.in), &f); err != nil || f != c.want {
				t.Fatalf("decoded %+v, %v", f, err)
			}
			if b, _ := json.Marshal(f); string(b) != c.out {
				t.Fatalf("encoded %s, want %s", b, c.out)
			}
		})
	}
	var f Format
	if err := json.Unmarshal([]byte(`{"delimiter":"ab"}`), &f); !errors.Is(err, ErrDelimiter) {
		t.Fatalf("a bad delimiter decoded: %v", err)
	}
	if got, err := ParseFormat(" utf-8 ", "pipe"); err != nil || got != (Format{Encoding: "utf-8", Delimiter: '|'}) {
		t.Fatalf("ParseFormat = %+v, %v", got, err)
	}
	if o := (Options{MaxBytes: 5}).With(Format{Encoding: "gbk", Delimiter: ';'}); o.MaxBytes != 5 || o.Encoding != "gbk" || o.Delimiter != ';' {
		t.Fatalf("With = %+v", o)
	}
	for d, want := range map[Delimiter]string{0: "", '\t': "tab", ';': ";"} {
		if d.String() != want {
			t.Errorf("%q.String() = %q", rune(d), d.String())
		}
	}
}
