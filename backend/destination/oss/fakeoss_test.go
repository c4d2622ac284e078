package oss

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// fakeOSS is a small OSS on loopback: it checks every request's V4
// signature by re-signing it with the SDK, stores single and multipart
// uploads, and lets a test inject faults.
type fakeOSS struct {
	t              *testing.T
	srv            *httptest.Server
	bucket, region string
	keyID, secret  string
	verifier       *oss.Client
	captured       chan string // Authorization of the verifier's request

	mu       sync.Mutex
	objects  map[string][]byte
	uploads  map[string]*fakeUpload
	nextID   int
	aborted  []string
	requests []string // "METHOD key?query" in order
	badSigs  int
	// fault, when set, may answer a request itself (return true).
	fault func(w http.ResponseWriter, r *http.Request, part int) bool
}

type fakeUpload struct {
	key   string
	parts map[int][]byte
}

func newFakeOSS(t *testing.T) *fakeOSS {
	f := &fakeOSS{t: t, bucket: "exports", region: "cn-hangzhou", keyID: "LTAItestkey", secret: "s3cr3t-v4",
		objects: map[string][]byte{}, uploads: map[string]*fakeUpload{}, captured: make(chan string, 1)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	capture := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		f.captured <- r.Header.Get("Authorization")
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})}
	v, err := oss.New(f.srv.URL, f.keyID, f.secret, oss.AuthVersion(oss.AuthV4), oss.Region(f.region),
		oss.ForcePathStyle(true), oss.HTTPClient(capture))
	if err != nil {
		t.Fatal(err)
	}
	f.verifier = v
	return f
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func (f *fakeOSS) options() Options {
	return Options{Endpoint: f.srv.URL, Region: f.region, Bucket: f.bucket, Prefix: "backups/2026",
		AccessKeyID: f.keyID, AccessKeySecret: f.secret, Backoff: 1}
}

// expectedAuthorization re-signs r: the same method, bucket, object, query
// and headers go through the SDK's own signing code (Conn.Do) into a
// transport that only records the Authorization header.
func (f *fakeOSS) expectedAuthorization(r *http.Request, bucket, object string) string {
	f.mu.Lock() // one verifier request at a time: captured has room for one
	defer f.mu.Unlock()
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
	resp, err := f.verifier.Conn.Do(r.Method, bucket, object, params, headers, nil, 0, nil)
	if err != nil {
		f.t.Errorf("re-sign %s %s: %v", r.Method, r.URL, err)
		return ""
	}
	resp.Body.Close()
	return <-f.captured
}

func (f *fakeOSS) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	want := f.expectedAuthorization(r, bucket, key)
	got := r.Header.Get("Authorization")
	if !strings.HasPrefix(got, "OSS4-HMAC-SHA256 Credential="+f.keyID+"/") || got != want {
		f.mu.Lock()
		f.badSigs++
		f.mu.Unlock()
		ossError(w, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match")
		return
	}
	if bucket != f.bucket {
		ossError(w, 404, "NoSuchBucket", "The specified bucket does not exist.")
		return
	}
	q := r.URL.Query()
	part, _ := strconv.Atoi(q.Get("partNumber"))
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+key+"?"+r.URL.RawQuery)
	fault := f.fault
	f.mu.Unlock()
	if fault != nil && fault(w, r, part) {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, hasUploads := q["uploads"]
	uploadID := q.Get("uploadId")
	switch {
	case r.Method == http.MethodPost && hasUploads:
		f.nextID++
		id := fmt.Sprintf("upload-%d", f.nextID)
		f.uploads[id] = &fakeUpload{key: key, parts: map[int][]byte{}}
		writeXML(w, struct {
			XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
			Bucket   string
			Key      string
			UploadId string
		}{Bucket: bucket, Key: key, UploadId: id})
	case r.Method == http.MethodPut && uploadID != "":
		u := f.uploads[uploadID]
		if u == nil {
			ossError(w, 404, "NoSuchUpload", "no such upload")
			return
		}
		u.parts[part] = body
		w.Header().Set("ETag", etag(body))
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(body))
	case r.Method == http.MethodPost && uploadID != "":
		u := f.uploads[uploadID]
		if u == nil {
			ossError(w, 404, "NoSuchUpload", "no such upload")
			return
		}
		var req struct {
			Parts []struct {
				PartNumber int
				ETag       string
			} `xml:"Part"`
		}
		if err := xml.Unmarshal(body, &req); err != nil {
			ossError(w, 400, "MalformedXML", err.Error())
			return
		}
		var all []byte
		for i, p := range req.Parts {
			b, ok := u.parts[p.PartNumber]
			if !ok || p.PartNumber != i+1 || p.ETag != etag(b) {
				ossError(w, 400, "InvalidPart", "part "+strconv.Itoa(p.PartNumber))
				return
			}
			all = append(all, b...)
		}
		f.objects[key] = all
		delete(f.uploads, uploadID)
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(all))
		writeXML(w, struct {
			XMLName xml.Name `xml:"CompleteMultipartUploadResult"`
			Bucket  string
			Key     string
			ETag    string
		}{Bucket: bucket, Key: key, ETag: etag(all)})
	case r.Method == http.MethodDelete && uploadID != "":
		if f.uploads[uploadID] == nil {
			ossError(w, 404, "NoSuchUpload", "no such upload")
			return
		}
		delete(f.uploads, uploadID)
		f.aborted = append(f.aborted, uploadID)
		w.WriteHeader(204)
	case r.Method == http.MethodPut:
		f.objects[key] = body
		w.Header().Set("ETag", etag(body))
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(body))
	case r.Method == http.MethodHead:
		b, ok := f.objects[key]
		if !ok {
			w.WriteHeader(404)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Header().Set("ETag", etag(b))
		w.Header().Set(oss.HTTPHeaderOssCRC64, crcOf(b))
	case r.Method == http.MethodDelete:
		delete(f.objects, key)
		w.WriteHeader(204)
	default:
		ossError(w, 400, "NotImplemented", r.Method)
	}
}

func (f *fakeOSS) object(key string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.objects[key]
	return b, ok
}

func (f *fakeOSS) keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ks []string
	for k := range f.objects {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (f *fakeOSS) pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.uploads)
}

func (f *fakeOSS) abortedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.aborted)
}

func (f *fakeOSS) setFault(fn func(w http.ResponseWriter, r *http.Request, part int) bool) {
	f.mu.Lock()
	f.fault = fn
	f.mu.Unlock()
}

func crcOf(b []byte) string { return strconv.FormatUint(crc64.Checksum(b, crcTable), 10) }

func etag(b []byte) string { return fmt.Sprintf("\"%x\"", crc64.Checksum(b, crcTable)) }

func ossError(w http.ResponseWriter, status int, code, msg string) {
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
