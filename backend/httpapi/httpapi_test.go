package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"batchdesk/backend/apperr"
)

type fakeAPI struct{}

func (fakeAPI) Add(a, b int) (int, error)            { return a + b, nil }
func (fakeAPI) Fail(code string) error               { return apperr.New(code, "it failed: %s", code) }
func (fakeAPI) Hello(p struct{ Name string }) string { return "hi " + p.Name }
func (fakeAPI) Nothing()                             {}
func (fakeAPI) Boom() (string, error)                { panic("boom") }

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	assets := fstest.MapFS{"index.html": {Data: []byte("<html>ok</html>")}}
	s, err := New([]any{fakeAPI{}}, assets, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func post(t *testing.T, ts *httptest.Server, token, path, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, strings.TrimSpace(string(b))
}

func TestTokenRequired(t *testing.T) {
	s, ts := newTestServer(t)
	for _, path := range []string{"/api/Add", "/api/events", "/api/upload?name=a.csv", "/", "/index.html"} {
		res, body := post(t, ts, "", path, "[1,2]")
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"code":"unauthorized"`) {
			t.Errorf("%s without token: %d %s", path, res.StatusCode, body)
		}
		res, _ = post(t, ts, "wrong"+s.Token(), path, "[1,2]")
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s with wrong token: %d", path, res.StatusCode)
		}
	}
}

func TestPageTokenSetsCookie(t *testing.T) {
	s, ts := newTestServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(ts.URL + "/?token=" + s.Token())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", res.StatusCode)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == CookieName {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != s.Token() || !cookie.HttpOnly {
		t.Fatalf("cookie %+v", cookie)
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/Add", strings.NewReader("[2,3]"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", ts.URL) // the page's own origin, as a browser sends it
	req.AddCookie(cookie)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || strings.TrimSpace(string(b)) != "5" {
		t.Fatalf("with cookie: %d %s", res.StatusCode, b)
	}
}

// A browser keeps the cookie of an earlier run (cookies do not tell ports
// apart): the URL a new run printed still opens the page, and sets the
// cookie to the new token.
func TestPageTokenReplacesAnEarlierRunsCookie(t *testing.T) {
	s, ts := newTestServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/?token="+s.Token(), nil)
	req.AddCookie(&http.Cookie{Name: CookieName, Value: "token-of-an-earlier-run"})
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the printed URL with an old cookie: status %d, want %d", res.StatusCode, http.StatusSeeOther)
	}
	var got string
	for _, c := range res.Cookies() {
		if c.Name == CookieName {
			got = c.Value
		}
	}
	if got != s.Token() {
		t.Fatalf("cookie set to %q, want the new token", got)
	}
	// The old cookie alone still opens nothing.
	req, _ = http.NewRequest(http.MethodGet, ts.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: CookieName, Value: "token-of-an-earlier-run"})
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an old cookie without the token: status %d", res.StatusCode)
	}
}

func TestCalls(t *testing.T) {
	s, ts := newTestServer(t)
	cases := []struct {
		name, path, body string
		status           int
		want             string
	}{
		{"result", "/api/Add", "[1,2]", 200, "3"},
		{"struct arg", "/api/Hello", `[{"Name":"Ann"}]`, 200, `"hi Ann"`},
		{"no result", "/api/Nothing", "[]", 200, "null"},
		{"empty body is no args", "/api/Nothing", "", 200, "null"},
		{"coded error", "/api/Fail", `["not_found"]`, 404, `{"code":"not_found","message":"it failed: not_found"}`},
		{"auth failed", "/api/Fail", `["auth_failed"]`, 403, `"code":"auth_failed"`},
		{"unknown method", "/api/Nope", "[]", 404, `"code":"not_found"`},
		{"wrong arg count", "/api/Add", "[1]", 400, "takes 2 arguments"},
		{"wrong arg type", "/api/Add", `["x",1]`, 400, `"code":"invalid"`},
		{"not an array", "/api/Add", `{"a":1}`, 400, "JSON array"},
		{"panic is internal", "/api/Boom", "[]", 500, `"code":"internal"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := post(t, ts, s.Token(), c.path, c.body)
			if res.StatusCode != c.status || !strings.Contains(body, c.want) {
				t.Fatalf("got %d %s, want %d containing %s", res.StatusCode, body, c.status, c.want)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/Add", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	res, _ := http.DefaultClient.Do(req)
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET on a method: %d", res.StatusCode)
	}
}

func TestUploadStreamsToDisk(t *testing.T) {
	s, ts := newTestServer(t)
	data := strings.Repeat("name,phone\nAcme,123\n", 1000)
	res, body := post(t, ts, s.Token(), "/api/upload?name=../../evil/acc%C3%B6unts.csv", data)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var up UploadResult
	if err := json.Unmarshal([]byte(body), &up); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(up.Path, s.uploadDir) || !strings.HasSuffix(up.Path, "/accöunts.csv") || up.Size != int64(len(data)) {
		t.Fatalf("upload landed at %s (%d bytes)", up.Path, up.Size)
	}
	got, _ := os.ReadFile(up.Path)
	if string(got) != data {
		t.Fatal("content differs")
	}
	res, _ = post(t, ts, s.Token(), "/api/upload?name=..", "x")
	if res.StatusCode != 400 {
		t.Fatalf("name '..' accepted: %d", res.StatusCode)
	}
}

func TestEvents(t *testing.T) {
	s, ts := newTestServer(t)
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/events", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	if line, _ := r.ReadString('\n'); !strings.HasPrefix(line, ": connected") {
		t.Fatalf("first line %q", line)
	}
	go func() {
		// Emit until the subscriber has seen it; subscription races the first Emit.
		for i := 0; i < 50; i++ {
			s.Events.Emit("job:progress", map[string]any{"jobId": "j1", "done": 5})
			time.Sleep(20 * time.Millisecond)
		}
	}()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "event: job:progress") {
			data, _ := r.ReadString('\n')
			if !strings.Contains(data, `"jobId":"j1"`) {
				t.Fatalf("data %q", data)
			}
			return
		}
	}
}

func TestCheckAddr(t *testing.T) {
	cases := []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:8080", false, true},
		{"127.0.0.1:0", false, true},
		{"[::1]:8080", false, true},
		{"localhost:8080", false, true},
		{"0.0.0.0:8080", false, false},
		{":8080", false, false},
		{"192.168.1.5:8080", false, false},
		{"example.com:80", false, false},
		{"0.0.0.0:8080", true, true},
		{"nonsense", false, false},
		{"", false, false},
	}
	for _, c := range cases {
		if err := CheckAddr(c.addr, c.remote); (err == nil) != c.ok {
			t.Errorf("CheckAddr(%q, %v) = %v", c.addr, c.remote, err)
		}
	}
}

func FuzzSafeFileName(f *testing.F) {
	for _, s := range []string{"a.csv", "../x", "..", "a/b/c.csv", `C:\x\y.csv`, "\x00", "客户.csv"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := SafeFileName(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(name, `/\`) || name == ".." || name == "." || name == "" {
			t.Fatalf("unsafe name %q from %q", name, s)
		}
	})
}

func TestDownload(t *testing.T) {
	s, ts := newTestServer(t)
	s.Download = func(id, _ string) (string, io.ReadCloser, error) {
		if id != "j1" {
			return "", nil, apperr.New(apperr.NotFound, "no job %s", id)
		}
		return "j1-errors.csv", io.NopCloser(strings.NewReader("a,_row,_error\n")), nil
	}
	get := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, body := get("/api/download?job=j1")
	if res.StatusCode != 200 || body != "a,_row,_error\n" || !strings.Contains(res.Header.Get("Content-Disposition"), `filename=j1-errors.csv`) {
		t.Fatalf("%d %q %q", res.StatusCode, body, res.Header.Get("Content-Disposition"))
	}
	if res, _ := get("/api/download?job=nope"); res.StatusCode != 404 {
		t.Fatalf("unknown job: %d", res.StatusCode)
	}
}

// call posts a method call with the headers a browser page would send
// (cookie, Origin, JSON), changed by edit.
func browserCall(t *testing.T, s *Server, ts *httptest.Server, path, body string, edit func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: CookieName, Value: s.Token()})
	if edit != nil {
		edit(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, strings.TrimSpace(string(b))
}

func TestOtherOriginsRefused(t *testing.T) {
	s, ts := newTestServer(t)
	s.AllowHosts(ts.Listener.Addr().String())
	port := ts.Listener.Addr().(*net.TCPAddr).Port
	cases := []struct {
		name   string
		edit   func(*http.Request)
		status int
	}{
		{"the page itself", nil, 200},
		{"localhost name of the same port", func(r *http.Request) {
			r.Host = fmt.Sprintf("localhost:%d", port)
			r.Header.Set("Origin", "http://"+r.Host)
		}, 200},
		{"another site", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, 403},
		{"another port of 127.0.0.1", func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:9999") }, 403},
		{"origin null", func(r *http.Request) { r.Header.Set("Origin", "null") }, 403},
		{"cross-site fetch metadata", func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "same-site") }, 403},
		{"cookie POST without Origin", func(r *http.Request) { r.Header.Del("Origin") }, 403},
		{"rebound host name", func(r *http.Request) {
			r.Host = fmt.Sprintf("evil.example:%d", port)
			r.Header.Set("Origin", "http://"+r.Host)
		}, 403},
		{"text/plain body", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, 415},
		{"no content type", func(r *http.Request) { r.Header.Del("Content-Type") }, 415},
		{"JSON with a charset", func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=utf-8") }, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := browserCall(t, s, ts, "/api/Add", "[1,2]", c.edit)
			if res.StatusCode != c.status {
				t.Fatalf("got %d %s, want %d", res.StatusCode, body, c.status)
			}
			if c.status == 403 && !strings.Contains(body, `"code":"forbidden"`) {
				t.Fatalf("body %s", body)
			}
		})
	}
	// The event stream and downloads are API calls too.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/events", nil)
	req.AddCookie(&http.Cookie{Name: CookieName, Value: s.Token()})
	req.Header.Set("Origin", "http://127.0.0.1:9999")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("events from another origin: %d", res.StatusCode)
	}
}

func TestBodyAndArgumentsCapped(t *testing.T) {
	s, ts := newTestServer(t)
	big := "[" + strings.Repeat(`"xxxxxxxxxx",`, MaxBody/13+1) + "1]"
	if res, body := post(t, ts, s.Token(), "/api/Add", big); res.StatusCode != 413 || !strings.Contains(body, `"code":"too_large"`) {
		t.Fatalf("body over %d bytes: %d %s", MaxBody, res.StatusCode, body)
	}
	// Arguments past the method's count are refused as they are read: an
	// array of 200,000 costs no more memory than one of three.
	many := "[" + strings.Repeat("1,", 200000) + "1]"
	ms, err := newMethodSet([]any{fakeAPI{}})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = ms.call(context.Background(), "Add", strings.NewReader(many))
	runtime.ReadMemStats(&after)
	if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "takes 2 arguments") {
		t.Fatalf("200,000 arguments: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("reading 200,000 arguments allocated %d bytes", alloc)
	}
}

func TestUploadCappedAtTheFileSizeSetting(t *testing.T) {
	s, ts := newTestServer(t)
	s.MaxUpload = func() (int64, error) { return 1000, nil }
	if res, body := post(t, ts, s.Token(), "/api/upload?name=ok.csv", strings.Repeat("x", 1000)); res.StatusCode != 200 {
		t.Fatalf("at the limit: %d %s", res.StatusCode, body)
	}
	if res, body := post(t, ts, s.Token(), "/api/upload?name=big.csv", strings.Repeat("x", 1001)); res.StatusCode != 413 || !strings.Contains(body, `"code":"too_large"`) {
		t.Fatalf("over the limit: %d %s", res.StatusCode, body)
	}
	// No Content-Length (a chunked body): cut off while streaming.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/upload?name=chunked.csv", io.MultiReader(strings.NewReader(strings.Repeat("y", 3000))))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+s.Token())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("chunked over the limit: %d", res.StatusCode)
	}
	var left []string
	filepath.WalkDir(s.uploadDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, filepath.Base(p))
		}
		return nil
	})
	if len(left) != 1 || left[0] != "ok.csv" {
		t.Fatalf("files left in the upload folder: %v", left)
	}
}

func TestOnlyTheGivenValuesAreServed(t *testing.T) {
	if _, err := New([]any{fakeAPI{}, fakeAPI{}}, fstest.MapFS{}, t.TempDir()); err == nil {
		t.Fatal("a method in two areas must be refused")
	}
	s, _ := newTestServer(t)
	if got := strings.Join(s.Methods(), ","); got != "Add,Boom,Fail,Hello,Nothing" {
		t.Fatalf("methods %s", got)
	}
}
