package validate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/mapping/mappingtest"
	"batchdesk/backend/imports/source"
)

func TestStreamMatchesValidate(t *testing.T) {
	var b strings.Builder
	b.WriteString("Name,No,Industry\n")
	for i := range 3000 {
		switch i % 7 {
		case 3:
			fmt.Fprintf(&b, "Co %d,A%d,Farming\n", i, i) // bad picklist
		case 5:
			fmt.Fprintf(&b, "Co %d,A%d\n", i, i-5) // ragged
		case 6:
			fmt.Fprintf(&b, "\"Co\n%d\",A%d,Retail\n", i, i-6) // duplicate of row i-6, multi-line
		default:
			fmt.Fprintf(&b, "Co %d,A%d,Finance\n", i, i)
		}
	}
	m := mapping.Mapping{Object: "Account", Columns: map[string]mapping.Column{"Name": {Field: "name"}, "No": {Field: "account_no"}, "Industry": {Field: "industry"}}}
	seq, vs := run(t, b.String(), m)

	p := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(p, []byte(b.String()), 0o600)
	f, err := source.Open(p, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, _ := New(mappingtest.Object("Account"), &m, f.Header(), time.UTC)
	var got []Row
	if err := v.Stream(context.Background(), f, 3, func(r Row, _ source.Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, seq) {
		t.Errorf("Stream differs from Validate (%d vs %d rows)", len(got), len(seq))
	}
	if !reflect.DeepEqual(v.Stats(), vs.Stats()) {
		t.Errorf("stats %+v vs %+v", v.Stats(), vs.Stats())
	}
}

func TestStreamFileError(t *testing.T) {
	data := "Name\n" + strings.Repeat("x\n", 40000) + "bad\x00\n" + strings.Repeat("y\n", 10)
	p := filepath.Join(t.TempDir(), "e.csv")
	os.WriteFile(p, []byte(data), 0o600)
	f, err := source.Open(p, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := mapping.Mapping{Object: "Contact", Columns: map[string]mapping.Column{"Name": {Field: "name"}}}
	v, _ := New(mappingtest.Object("Contact"), &m, f.Header(), time.UTC)
	n := 0
	err = v.Stream(context.Background(), f, 2, func(Row, source.Record) error { n++; return nil })
	if !errors.Is(err, source.ErrBinary) || n != 40000 {
		t.Errorf("err = %v after %d rows; want ErrBinary after 40000", err, n)
	}
	stop := errors.New("stop")
	f2, _ := source.Open(p, source.Options{})
	defer f2.Close()
	v2, _ := New(mappingtest.Object("Contact"), &m, f2.Header(), time.UTC)
	if err := v2.Stream(context.Background(), f2, 2, func(Row, source.Record) error { return stop }); err != stop {
		t.Errorf("callback error = %v", err)
	}
}
