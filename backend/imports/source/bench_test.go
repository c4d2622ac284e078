package source

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// accountCSV generates an account-like CSV of about n bytes.
func accountCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Account Name,Account No,Industry,Annual Revenue,Employees,Phone,Email,Website,Founded On,Key Account,Parent Account,Notes\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Company %d Ltd,AC-%08d,Technology,%d.%02d,%d,+86 21 5555 %04d,info%d@example.com,https://www.example%d.com,2001-%02d-%02d,%s,,\"Note, with comma %d\"\n",
			i, i, i*37%1000000, i%100, i%5000, i%10000, i, i, i%12+1, i%28+1, []string{"yes", "no"}[i%2], i)
	}
	return b.Bytes()
}

func benchFile(b *testing.B, data []byte) string {
	p := filepath.Join(b.TempDir(), "bench.csv")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkRead reads a 32 MB UTF-8 file through Open/Next.
func BenchmarkRead(b *testing.B) {
	data := accountCSV(32 << 20)
	p := benchFile(b, data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := Open(p, Options{})
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

// BenchmarkReadGB18030 is BenchmarkRead through GB18030 decoding.
func BenchmarkReadGB18030(b *testing.B) {
	data := encodeGB(b, string(bytes.ReplaceAll(accountCSV(32<<20), []byte("Company"), []byte("公司"))))
	p := benchFile(b, data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := Open(p, Options{Encoding: GB18030})
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

// BenchmarkEncodingCSV is the floor: encoding/csv alone on the same file.
func BenchmarkEncodingCSV(b *testing.B) {
	data := accountCSV(32 << 20)
	p := benchFile(b, data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, _ := os.Open(p)
		r := csv.NewReader(f)
		r.ReuseRecord = true
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
}

// BenchmarkGuard is the guard alone over a 32 MB UTF-8 file's text (the
// limits and the UTF-8 check that Open adds in front of encoding/csv).
func BenchmarkGuard(b *testing.B) {
	data := accountCSV(32 << 20)
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		g := newGuard(bytes.NewReader(data), nil, true, Limits{}, ',')
		for {
			if _, err := g.Read(buf); err != nil {
				break
			}
		}
	}
}
