package tsgen

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

type kind string

type base struct {
	ID string `json:"id"`
}

type item struct {
	base
	Name    string            `json:"name"`
	Note    string            `json:"note,omitempty"`
	Kind    kind              `json:"kind"`
	Tags    []string          `json:"tags"`
	Attrs   map[string]int    `json:"attrs"`
	Parent  *item             `json:"parent"`
	Raw     json.RawMessage   `json:"raw"`
	Skipped string            `json:"-"`
	Matrix  [][]float64       `json:"matrix"`
	ByName  map[string][]base `json:"byName,omitempty"`
	hidden  int
}

type api struct{}

func (*api) Get(id string, in int) (item, error) { return item{}, nil }
func (*api) Drop(id string) error                { return nil }
func (*api) Ping()                               {}

func TestGenerate(t *testing.T) {
	out, err := Generate(Config{
		Unions:  []Union{{Name: "Kind", Values: []string{"a", "b'c"}, Go: reflect.TypeOf(kind(""))}},
		Consts:  []Const{{Name: "KINDS", Elem: "Kind", Values: []string{"a"}}},
		Names:   map[reflect.Type]string{reflect.TypeOf(base{}): "Base"},
		Fields:  map[string]string{"item.Note": "'x' | 'y'"},
		Events:  []Event{{Name: "item:changed", Payload: reflect.TypeOf(item{})}},
		Methods: []Methods{{Area: "things", Type: reflect.TypeOf(&api{}), Note: "(note)"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`export type Kind = 'a' | 'b\'c';`,
		`export const KINDS: readonly Kind[] = ['a'];`,
		"export interface item extends Base {",
		"  name: string;\n  note?: 'x' | 'y';\n  kind: Kind;\n  tags: string[];\n  attrs: Record<string, number>;\n  parent: item | null;\n  raw: unknown;\n  matrix: number[][];\n  byName?: Record<string, Base[]>;\n}",
		"export interface Base {\n  id: string;\n}",
		"  'item:changed': item;",
		"  Drop(arg1: string): Promise<null>;",
		"  Get(arg1: string, arg2: number): Promise<item>;",
		"  Ping(): Promise<null>;",
		"/** (note) */",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "Skipped") || strings.Contains(out, "hidden") {
		t.Errorf("skipped fields written:\n%s", out)
	}
	if _, err := Generate(Config{Types: []reflect.Type{reflect.TypeOf(map[int]string{})}}); err == nil {
		t.Error("a map with int keys must be refused")
	}
	type Base struct{}
	if _, err := Generate(Config{Types: []reflect.Type{reflect.TypeOf(base{}), reflect.TypeOf(Base{})},
		Names: map[reflect.Type]string{reflect.TypeOf(base{}): "Base"}}); err == nil || !strings.Contains(err.Error(), "both named Base") {
		t.Errorf("two types with one name: %v", err)
	}
}
