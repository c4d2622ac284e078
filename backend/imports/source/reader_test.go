package source

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// lineEnds is what utf8Reader must produce: lone CRs become LF, CRLF stays.
func lineEnds(b []byte) []byte {
	out := bytes.Clone(b)
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

// TestUTF8ReaderChunks reads text full of CRs through every way a reader
// may split it (one byte, halves, random buffer sizes) and compares.
func TestUTF8ReaderChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab,\"\r\n\r\té€")
	for iter := 0; iter < 300; iter++ {
		in := make([]byte, r.IntN(200))
		for i := range in {
			in[i] = alphabet[r.IntN(len(alphabet))]
		}
		want := lineEnds(in)
		for name, src := range map[string]io.Reader{
			"whole": bytes.NewReader(in),
			"one":   iotest.OneByteReader(bytes.NewReader(in)),
			"half":  iotest.HalfReader(bytes.NewReader(in)),
		} {
			u := newUTF8Reader(src, 0)
			var got []byte
			buf := make([]byte, 1+r.IntN(17))
			for {
				n, err := u.Read(buf[:1+r.IntN(len(buf))])
				got = append(got, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s: %q\n got %q\nwant %q", name, in, got, want)
			}
			if !u.atEOF() {
				t.Fatalf("%s: not at EOF", name)
			}
		}
	}
}

// TestUTF8ReaderBinary finds a forbidden byte at its file offset, past the
// eight-byte fast path and after a held CR.
func TestUTF8ReaderBinary(t *testing.T) {
	for _, in := range []string{"abcdefghijklmnop\x00", "abc\r\x01", "0123456789abcdef\r\n\x1b"} {
		u := newUTF8Reader(iotest.HalfReader(bytes.NewReader([]byte(in))), 100)
		_, err := io.ReadAll(u)
		var be *binaryError
		if !errors.As(err, &be) || be.rawOffset != int64(100+len(in)-1) {
			t.Fatalf("%q: %v (%+v)", in, err, be)
		}
	}
}
