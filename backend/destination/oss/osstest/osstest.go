// Package osstest is a small OSS on loopback for tests (the Go tests of
// backend/destination/oss and the end-to-end test's build/e2eoss): it
// checks every request's V4 signature by re-signing it with the SDK's own
// signing code, stores single and multipart uploads (in memory, and under
// Dir when set), and lets a test inject faults. Aliyun OSS cannot be
// reached from the build machines; this is what the uploads are tested
// against.
package osstest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// Config is the one bucket and the one key pair the server knows.
type Config struct {
	Bucket, Region string
	KeyID, Secret  string
	Dir            string                           // "" = objects in memory only; else also written to Dir/KEY
	Report         func(format string, args ...any) // a request the server cannot re-sign; nil = ignored
}

// Server is the running OSS.
type Server struct {
	URL string // http://127.0.0.1:PORT
	Config

	srv      *httptest.Server
	verifier *oss.Client
	captured chan string // Authorization of the verifier's request
	signMu   sync.Mutex  // one verifier request at a time: captured has room for one

	mu       sync.Mutex
	objects  map[string][]byte
	uploads  map[string]*upload
	nextID   int
	aborted  []string
	requests []string // "METHOD key?query" in order
	badSigs  int
	fault    func(w http.ResponseWriter, r *http.Request, part int) bool
}

type upload struct {
	key   string
	parts map[int][]byte
}

// Start serves on a free loopback port until Close.
func Start(c Config) (*Server, error) {
	s := &Server{Config: c, objects: map[string][]byte{}, uploads: map[string]*upload{}, captured: make(chan string, 1)}
	if c.Dir != "" {
		if err := os.MkdirAll(c.Dir, 0o755); err != nil {
			return nil, err
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	capture := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		s.captured <- r.Header.Get("Authorization")
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})}
	v, err := oss.New(s.URL, c.KeyID, c.Secret, oss.AuthVersion(oss.AuthV4), oss.Region(c.Region),
		oss.ForcePathStyle(true), oss.HTTPClient(capture))
	if err != nil {
		s.srv.Close()
		return nil, err
	}
	s.verifier = v
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// expectedAuthorization re-signs r: the same method, bucket, object, query
// and headers go through the SDK's own signing code (Conn.Do) into a
// transport that only records the Authorization header.
func (s *Server) expectedAuthorization(r *http.Request, bucket, object string) string {
	s.signMu.Lock()
	defer s.signMu.Unlock()
	params := map[string]interface{}{}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 && vs[0] != "" {
			params[k] = vs[0]
		} else {
			params[k] = nil
		}
	}
	headers := map[string]string{}
	for k, vs := range r.Header {
		if k == "Authorization" || len(vs) == 0 {
			continue
		}
		headers[k] = vs[0]
	}
	resp, err := s.verifier.Conn.Do(r.Method, bucket, object, params, headers, nil, 0, nil)
	if err != nil {
		if s.Report != nil {
			s.Report("re-sign %s %s: %v", r.Method, r.URL, err)
		}
		return ""
	}
	resp.Body.Close()
	return <-s.captured
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	want := s.expectedAuthorization(r, bucket, key)
	got := r.Header.Get("Authorization")
	if !strings.HasPrefix(got, "OSS4-HMAC-SHA256 Credential="+s.KeyID+"/") || got != want {
		s.mu.Lock()
		s.badSigs++
		s.mu.Unlock()
		WriteError(w, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match")
		return
	}
	if bucket != s.Bucket {
		WriteError(w, 404, "NoSuchBucket", "The specified bucket does not exist.")
		return
	}
	q := r.URL.Query()
	part, _ := strconv.Atoi(q.Get("partNumber"))
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+key+"?"+r.URL.RawQuery)
	fault := s.fault
	s.mu.Unlock()
	if fault != nil && fault(w, r, part) {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, hasUploads := q["uploads"]
	uploadID := q.Get("uploadId")
	switch {
	case r.Method == http.MethodPost && hasUploads:
		s.nextID++
		id := fmt.Sprintf("upload-%d", s.nextID)
		s.uploads[id] = &upload{key: key, parts: map[int][]byte{}}
		writeXML(w, struct {
			XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
			Bucket   string
			Key      string
			UploadId string
		}{Bucket: bucket, Key: key, UploadId: id})
	case r.Method == http.MethodPut && uploadID != "":
		u := s.uploads[uploadID]
		if u == nil {
			WriteError(w, 404, "NoSuchUpload", "no such upload")
			return
		}
		u.parts[part] = body
		w.Header().Set("ETag", etag(body))
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(body))
	case r.Method == http.MethodPost && uploadID != "":
		u := s.uploads[uploadID]
		if u == nil {
			WriteError(w, 404, "NoSuchUpload", "no such upload")
			return
		}
		var req struct {
			Parts []struct {
				PartNumber int
				ETag       string
			} `xml:"Part"`
		}
		if err := xml.Unmarshal(body, &req); err != nil {
			WriteError(w, 400, "MalformedXML", err.Error())
			return
		}
		var all []byte
		for i, p := range req.Parts {
			b, ok := u.parts[p.PartNumber]
			if !ok || p.PartNumber != i+1 || p.ETag != etag(b) {
				WriteError(w, 400, "InvalidPart", "part "+strconv.Itoa(p.PartNumber))
				return
			}
			all = append(all, b...)
		}
		if !s.store(w, key, all) {
			return
		}
		delete(s.uploads, uploadID)
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(all))
		writeXML(w, struct {
			XMLName xml.Name `xml:"CompleteMultipartUploadResult"`
			Bucket  string
			Key     string
			ETag    string
		}{Bucket: bucket, Key: key, ETag: etag(all)})
	case r.Method == http.MethodDelete && uploadID != "":
		if s.uploads[uploadID] == nil {
			WriteError(w, 404, "NoSuchUpload", "no such upload")
			return
		}
		delete(s.uploads, uploadID)
		s.aborted = append(s.aborted, uploadID)
		w.WriteHeader(204)
	case r.Method == http.MethodPut:
		if !s.store(w, key, body) {
			return
		}
		w.Header().Set("ETag", etag(body))
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(body))
	case r.Method == http.MethodHead:
		b, ok := s.objects[key]
		if !ok {
			w.WriteHeader(404)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Header().Set("ETag", etag(b))
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(b))
	case r.Method == http.MethodDelete:
		delete(s.objects, key)
		if p, ok := s.file(key); ok {
			_ = os.Remove(p)
		}
		w.WriteHeader(204)
	default:
		WriteError(w, 400, "NotImplemented", r.Method)
	}
}

// file is where key is kept under Dir; false without Dir or for a key
// that would leave it.
func (s *Server) file(key string) (string, bool) {
	if s.Dir == "" || !filepath.IsLocal(filepath.FromSlash(key)) {
		return "", false
	}
	return filepath.Join(s.Dir, filepath.FromSlash(key)), true
}

// store keeps an object (s.mu held); false when it answered an error.
func (s *Server) store(w http.ResponseWriter, key string, b []byte) bool {
	if s.Dir != "" {
		p, ok := s.file(key)
		if !ok {
			WriteError(w, 400, "InvalidObjectName", "the object name leaves the bucket")
			return false
		}
		err := os.MkdirAll(filepath.Dir(p), 0o755)
		if err == nil {
			err = os.WriteFile(p, b, 0o644)
		}
		if err != nil {
			WriteError(w, 500, "InternalError", err.Error())
			return false
		}
	}
	s.objects[key] = b
	return true
}

// Object is the stored object key.
func (s *Server) Object(key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[key]
	return b, ok
}

// Keys are the stored objects' keys, sorted.
func (s *Server) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ks []string
	for k := range s.objects {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Requests are the signed requests to the bucket so far, "METHOD key?query".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// BadSignatures counts the requests refused for their signature.
func (s *Server) BadSignatures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.badSigs
}

// Pending counts the multipart uploads neither completed nor aborted.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.uploads)
}

// Aborted counts the aborted multipart uploads.
func (s *Server) Aborted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.aborted)
}

// SetFault makes fn see every signed request first (part is its
// partNumber, 0 for none); when fn returns true it has answered it.
func (s *Server) SetFault(fn func(w http.ResponseWriter, r *http.Request, part int) bool) {
	s.mu.Lock()
	s.fault = fn
	s.mu.Unlock()
}

// crcTable is OSS's CRC-64 (ECMA-182).
var crcTable = crc64.MakeTable(crc64.ECMA)

func crcOf(b []byte) string { return strconv.FormatUint(crc64.Checksum(b, crcTable), 10) }

func etag(b []byte) string { return fmt.Sprintf("\"%x\"", crc64.Checksum(b, crcTable)) }

// WriteError answers an OSS error document.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>test</RequestId></Error>`, code, xmlEscape(msg))
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/xml")
	b, _ := xml.Marshal(v)
	w.Write(b)
}
