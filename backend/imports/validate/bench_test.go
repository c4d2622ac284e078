package validate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/mapping/mappingtest"
	"batchdesk/backend/imports/source"
)

var benchHeader = "Account Name,Account No,Industry,Annual Revenue,Employees,Phone,Email,Website,Founded On,Key Account,Parent Account,Owner"

// accountFile generates a 12-column account CSV of about n bytes.
func accountFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString(benchHeader + "\n")
	inds := []string{"Technology", "Finance", "retail", "科技", "Energy"}
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Company %d Ltd,AC-%08d,%s,\"%d,%03d.%02d\",%d,+86 21 5555 %04d,info%d@example.com,https://www.example%d.com,2001-%02d-%02d,%s,,owner%d@example.com\n",
			i, i, inds[i%len(inds)], i%1000, i%1000, i%100, i%5000, i%10000, i, i, i%12+1, i%28+1, []string{"yes", "no"}[i%2], i%50)
	}
	return b.Bytes()
}

func benchMapping() mapping.Mapping {
	obj := mappingtest.Object("Account")
	hs := bytes.Split([]byte(benchHeader), []byte(","))
	headers := make([]string, len(hs))
	for i, h := range hs {
		headers[i] = string(h)
	}
	return mapping.AutoMapping(obj, headers)
}

// BenchmarkValidate reads and validates a generated 12-column account
// file of 16 MB (source + validate: the preview's work).
func BenchmarkValidate(b *testing.B) {
	data := accountFile(16 << 20)
	p := filepath.Join(b.TempDir(), "acc.csv")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		b.Fatal(err)
	}
	m := benchMapping()
	if len(m.Columns) != 12 {
		b.Fatalf("auto mapping has %d columns: %v", len(m.Columns), m.Columns)
	}
	obj := mappingtest.Object("Account")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := source.Open(p, source.Options{})
		if err != nil {
			b.Fatal(err)
		}
		v, err := New(obj, &m, f.Header(), time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := f.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if r := v.Validate(rec); !r.OK() {
				b.Fatalf("line %d: %v", r.Line, r.Problems)
			}
		}
		f.Close()
	}
}

// BenchmarkReadOnly reads the same file as BenchmarkValidate without
// validating: the floor the preview is measured against.
func BenchmarkReadOnly(b *testing.B) {
	data := accountFile(16 << 20)
	p := filepath.Join(b.TempDir(), "acc.csv")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := source.Open(p, source.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := f.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
}

// BenchmarkValidateStream is BenchmarkValidate with reading and
// converting on separate goroutines (Stream).
func BenchmarkValidateStream(b *testing.B) {
	data := accountFile(16 << 20)
	p := filepath.Join(b.TempDir(), "acc.csv")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		b.Fatal(err)
	}
	m := benchMapping()
	obj := mappingtest.Object("Account")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := source.Open(p, source.Options{})
		if err != nil {
			b.Fatal(err)
		}
		v, err := New(obj, &m, f.Header(), time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		err = v.Stream(context.Background(), f, 0, func(r Row, _ source.Record) error {
			if !r.OK() {
				return fmt.Errorf("line %d: %v", r.Line, r.Problems)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
