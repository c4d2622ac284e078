package oss

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"batchdesk/backend/apperr"
)

// genReader yields size deterministic pseudo-random bytes and counts what
// was read.
type genReader struct {
	rng  *rand.ChaCha8
	left int64
	read atomic.Int64
}

func newGen(size int64) *genReader {
	return &genReader{rng: rand.NewChaCha8([32]byte{7}), left: size}
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	g.rng.Read(p)
	g.left -= int64(len(p))
	g.read.Add(int64(len(p)))
	return len(p), nil
}

func genSum(size int64) [32]byte {
	h := sha256.New()
	io.Copy(h, newGen(size))
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

func mustNew(t *testing.T, o Options) *Dest {
	t.Helper()
	d, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPutSmallIsOnePut(t *testing.T) {
	f := newFakeOSS(t)
	d := mustNew(t, f.options())
	p, err := d.Put(context.Background(), "accounts/a.csv", strings.NewReader("id,name\n1,张三\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Location != "oss://exports/backups/2026/accounts/a.csv" || p.Bytes != int64(len("id,name\n1,张三\n")) {
		t.Fatalf("published %+v", p)
	}
	if b, _ := f.Object("backups/2026/accounts/a.csv"); string(b) != "id,name\n1,张三\n" {
		t.Fatalf("stored %q", b)
	}
	for _, r := range f.Requests() {
		if strings.Contains(r, "uploads") {
			t.Fatalf("a small file started a multipart upload: %v", f.Requests())
		}
	}
	if f.BadSignatures() != 0 {
		t.Fatalf("%d requests had a bad signature", f.BadSignatures())
	}
}

func TestPutEmpty(t *testing.T) {
	f := newFakeOSS(t)
	d := mustNew(t, f.options())
	if _, err := d.Put(context.Background(), "empty.csv", strings.NewReader("")); err != nil {
		t.Fatal(err)
	}
	if b, ok := f.Object("backups/2026/empty.csv"); !ok || len(b) != 0 {
		t.Fatalf("stored %q %v", b, ok)
	}
}

// TestPutLargeStreamsInParts sends 30 MB through default 8 MiB parts and
// checks that the reader is never more than Parallel parts ahead of what
// the server has been sent, i.e. memory stays bounded.
func TestPutLargeStreamsInParts(t *testing.T) {
	const size = 30 << 20
	f := newFakeOSS(t)
	d := mustNew(t, f.options())
	gen := newGen(size)
	var worst atomic.Int64
	f.SetFault(func(w http.ResponseWriter, r *http.Request, part int) bool {
		if part > 0 {
			ahead := gen.read.Load() - int64(part)*DefaultPartSize
			if ahead > worst.Load() {
				worst.Store(ahead)
			}
		}
		return false
	})
	p, err := d.Put(context.Background(), "big.csv", gen)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.Object("backups/2026/big.csv")
	if p.Bytes != size || sha256.Sum256(b) != genSum(size) {
		t.Fatalf("stored %d bytes, published %d; content differs", len(b), p.Bytes)
	}
	parts := 0
	for _, r := range f.Requests() {
		if strings.Contains(r, "partNumber=") {
			parts++
		}
	}
	if parts != 4 {
		t.Fatalf("%d part requests, want 4", parts)
	}
	if max := int64(DefaultParallel-1) * DefaultPartSize; worst.Load() > max {
		t.Fatalf("the reader ran %d bytes ahead of the uploads (bound %d)", worst.Load(), max)
	}
	if f.BadSignatures() != 0 || f.Pending() != 0 {
		t.Fatalf("bad signatures %d, pending uploads %d", f.BadSignatures(), f.Pending())
	}
}

func smallParts(f *fakeOSS) Options {
	o := f.options()
	o.PartSize = MinPartSize
	return o
}

// attemptFault fails the first n attempts of one part with fail.
func attemptFault(part, n int, fail func(w http.ResponseWriter)) func(http.ResponseWriter, *http.Request, int) bool {
	var mu sync.Mutex
	seen := 0
	return func(w http.ResponseWriter, r *http.Request, p int) bool {
		if p != part {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		if seen >= n {
			return false
		}
		seen++
		fail(w)
		return true
	}
}

func answer500(w http.ResponseWriter) { ossError(w, 500, "InternalError", "try again") }

func dropConnection(w http.ResponseWriter) {
	c, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		c.Close()
	}
}

func TestPartFaultsAreRetried(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(http.ResponseWriter)
	}{
		{"500 on one part", answer500},
		{"dropped connection", dropConnection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const size = 1 << 20
			f := newFakeOSS(t)
			f.SetFault(attemptFault(3, 2, tc.fail))
			d := mustNew(t, smallParts(f))
			if _, err := d.Put(context.Background(), "x.csv", newGen(size)); err != nil {
				t.Fatal(err)
			}
			b, _ := f.Object("backups/2026/x.csv")
			if sha256.Sum256(b) != genSum(size) {
				t.Fatalf("stored %d bytes that differ", len(b))
			}
			tries := 0
			for _, r := range f.Requests() {
				if strings.Contains(r, "partNumber=3&") || strings.HasSuffix(r, "partNumber=3") {
					tries++
				}
			}
			if tries != 3 {
				t.Fatalf("part 3 sent %d times, want 3 (2 failures + 1 success)", tries)
			}
		})
	}
}

func TestPermanentFailureAbortsAndLeavesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(http.ResponseWriter)
		code string
	}{
		{"access denied", func(w http.ResponseWriter) { ossError(w, 403, "AccessDenied", "no") }, apperr.AuthFailed},
		{"500 past the retries", answer500, apperr.Unavailable},
		{"connection dropped past the retries", dropConnection, apperr.Unavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeOSS(t)
			f.SetFault(attemptFault(2, 1000, tc.fail))
			d := mustNew(t, smallParts(f))
			_, err := d.Put(context.Background(), "x.csv", newGen(1<<20))
			if apperr.CodeOf(err) != tc.code || !strings.Contains(err.Error(), "part 2") {
				t.Fatalf("err = %v (%s), want %s naming part 2", err, apperr.CodeOf(err), tc.code)
			}
			if f.Aborted() != 1 || f.Pending() != 0 {
				t.Fatalf("aborted %d, pending %d: want the upload aborted", f.Aborted(), f.Pending())
			}
			if ks := f.Keys(); len(ks) != 0 {
				t.Fatalf("objects left: %v", ks)
			}
		})
	}
}

type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n -= int64(n)
	if c.n <= 0 {
		c.cancel()
	}
	return n, err
}

func TestCancelAbortsAndLeavesNothing(t *testing.T) {
	f := newFakeOSS(t)
	d := mustNew(t, smallParts(f))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := d.Put(ctx, "x.csv", &cancelAfter{r: newGen(4 << 20), n: 1 << 20, cancel: cancel})
	if apperr.CodeOf(err) != apperr.Canceled {
		t.Fatalf("err = %v (%s), want canceled", err, apperr.CodeOf(err))
	}
	if f.Aborted() != 1 || f.Pending() != 0 || len(f.Keys()) != 0 {
		t.Fatalf("aborted %d, pending %d, objects %v", f.Aborted(), f.Pending(), f.Keys())
	}
}

func TestReaderErrorAbortsAndLeavesNothing(t *testing.T) {
	f := newFakeOSS(t)
	d := mustNew(t, smallParts(f))
	boom := errors.New("the database went away")
	_, err := d.Put(context.Background(), "x.csv", io.MultiReader(newGen(1<<20), errReader{boom}))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the reader's", err)
	}
	if f.Aborted() != 1 || len(f.Keys()) != 0 {
		t.Fatalf("aborted %d, objects %v", f.Aborted(), f.Keys())
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestSizeMismatchRemovesObject(t *testing.T) {
	f := newFakeOSS(t)
	f.SetFault(func(w http.ResponseWriter, r *http.Request, part int) bool {
		if r.Method != http.MethodHead {
			return false
		}
		w.Header().Set("Content-Length", "3")
		w.Header().Set(oss.HTTPHeaderOssCRC64, "1")
		return true
	})
	d := mustNew(t, f.options())
	_, err := d.Put(context.Background(), "x.csv", strings.NewReader("hello"))
	if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("err = %v", err)
	}
	if ks := f.Keys(); len(ks) != 0 {
		t.Fatalf("objects left: %v", ks)
	}
}

func TestErrorsInPlainWords(t *testing.T) {
	f := newFakeOSS(t)
	wrongSecret := f.options()
	wrongSecret.AccessKeySecret = "not-the-secret"
	noBucket := f.options()
	noBucket.Bucket = "nope"
	wrongRegion := f.options()
	wrongRegion.Region = "cn-beijing"
	for _, tc := range []struct {
		name string
		o    Options
		code string
		says string
	}{
		{"wrong secret", wrongSecret, apperr.AuthFailed, "secret is wrong"},
		{"wrong region", wrongRegion, apperr.AuthFailed, "region"},
		{"bucket missing", noBucket, apperr.Unavailable, "does not exist"},
		{"nothing listening", Options{Endpoint: "http://127.0.0.1:1", Region: "cn-hangzhou", Bucket: "bkt", AccessKeyID: "k", AccessKeySecret: "secret-value-x", Retries: -1}, apperr.Unavailable, "did not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mustNew(t, tc.o).Test(context.Background())
			if apperr.CodeOf(err) != tc.code || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v (%s), want %s saying %q", err, apperr.CodeOf(err), tc.code, tc.says)
			}
			if strings.Contains(err.Error(), tc.o.AccessKeySecret) {
				t.Fatalf("the secret is in the message: %v", err)
			}
		})
	}
}

// TestServerRefusesV1 shows the fake really checks signatures: the SDK's
// default (V1) is refused.
func TestServerRefusesV1(t *testing.T) {
	f := newFakeOSS(t)
	c, err := oss.New(f.URL, f.KeyID, f.Secret, oss.ForcePathStyle(true))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Bucket(f.Bucket)
	err = b.PutObject("v1.csv", bytes.NewReader([]byte("x")))
	var se oss.ServiceError
	if !errors.As(err, &se) || se.Code != "SignatureDoesNotMatch" || f.BadSignatures() != 1 {
		t.Fatalf("V1 request: %v (bad signatures %d)", err, f.BadSignatures())
	}
}

func TestTestWritesAndRemovesProbe(t *testing.T) {
	f := newFakeOSS(t)
	if err := mustNew(t, f.options()).Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ks := f.Keys(); len(ks) != 0 {
		t.Fatalf("objects left: %v", ks)
	}
	var sawProbe bool
	for _, r := range f.Requests() {
		sawProbe = sawProbe || strings.HasPrefix(r, "PUT backups/2026/.batchdesk-probe")
	}
	if !sawProbe {
		t.Fatalf("no probe written: %v", f.Requests())
	}
}

func TestNewChecksOptions(t *testing.T) {
	ok := Options{Endpoint: "oss-cn-shanghai.aliyuncs.com", Bucket: "bkt", AccessKeyID: "k", AccessKeySecret: "s"}
	d, err := New(ok)
	if err != nil || d.opts.Region != "cn-shanghai" || !strings.Contains(d.Describe(), "https://oss-cn-shanghai.aliyuncs.com") {
		t.Fatalf("New(%+v) = %v, %v", ok, d, err)
	}
	for name, mod := range map[string]func(*Options){
		"no bucket":    func(o *Options) { o.Bucket = "" },
		"no key":       func(o *Options) { o.AccessKeyID = "" },
		"no endpoint":  func(o *Options) { o.Endpoint = "" },
		"ftp endpoint": func(o *Options) { o.Endpoint = "ftp://x" },
		"no region":    func(o *Options) { o.Endpoint = "http://127.0.0.1:9000" },
		"tiny parts":   func(o *Options) { o.PartSize = 10 },
		"bad bucket":   func(o *Options) { o.Bucket = "Bad_Bucket" },
	} {
		o := ok
		mod(&o)
		if _, err := New(o); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

func TestRegionOf(t *testing.T) {
	for host, want := range map[string]string{
		"oss-cn-hangzhou.aliyuncs.com":             "cn-hangzhou",
		"oss-cn-hangzhou-internal.aliyuncs.com":    "cn-hangzhou",
		"mybucket.oss-ap-southeast-1.aliyuncs.com": "ap-southeast-1",
		"OSS-US-WEST-1.ALIYUNCS.COM":               "us-west-1",
		"127.0.0.1":                                "",
		"s3.amazonaws.com":                         "",
		"cn-hangzhou.aliyuncs.com":                 "",
	} {
		if got := RegionOf(host); got != want {
			t.Errorf("RegionOf(%q) = %q, want %q", host, got, want)
		}
	}
}
