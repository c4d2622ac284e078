package ftp

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testCert is a self-signed certificate for 127.0.0.1.
type testCert struct {
	tls     tls.Certificate
	pool    *x509.CertPool
	certPEM []byte
	keyPEM  []byte
}

// newTestCert makes an ECDSA certificate, or an RSA one (vsftpd's default
// ciphers need RSA for TLS 1.2).
func newTestCert(t *testing.T, rsaKey bool) testCert {
	t.Helper()
	var key crypto.Signer
	var err error
	if rsaKey {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	c := testCert{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}),
		pool:    x509.NewCertPool(),
	}
	if c.tls, err = tls.X509KeyPair(c.certPEM, c.keyPEM); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	c.pool.AddCert(cert)
	return c
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening waits until something accepts on addr.
func waitListening(t *testing.T, addr string, alive func() error) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if alive != nil {
			if err := alive(); err != nil {
				t.Fatalf("server on %s exited: %v", addr, err)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// genReader yields size deterministic bytes.
type genReader struct{ off, size int64 }

func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	if rem := g.size - g.off; int64(len(p)) > rem {
		p = p[:rem]
	}
	for i := range p {
		x := g.off + int64(i)
		p[i] = byte(x*7 + x>>9)
	}
	g.off += int64(len(p))
	return len(p), nil
}

func sameAsGen(t *testing.T, file string, size int64) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, _ := io.ReadAll(f)
	want, _ := io.ReadAll(&genReader{size: size})
	if int64(len(got)) != size || string(got) != string(want) {
		t.Fatalf("%s: %d bytes that differ from the %d sent", file, len(got), size)
	}
}

// breaker breaks the first n data connections after limit bytes written.
type breaker struct {
	limit  int64
	left   atomic.Int32
	broken atomic.Int32
}

func (b *breaker) wrap(c net.Conn, data bool) net.Conn {
	if !data || b.left.Add(-1) < 0 {
		return c
	}
	return &breakConn{Conn: c, left: b.limit, b: b}
}

type breakConn struct {
	net.Conn
	mu   sync.Mutex
	left int64
	b    *breaker
}

func (c *breakConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left <= 0 {
		c.b.broken.Add(1)
		c.Conn.Close()
		return 0, net.ErrClosed
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Write(p)
	c.left -= int64(n)
	return n, err
}

// listFiles lists every file under dir, relative, sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func hasPart(files []string) bool {
	for _, f := range files {
		if strings.HasSuffix(f, ".part") {
			return true
		}
	}
	return false
}
