// Package httpapi serves the app's bound methods and its frontend over HTTP,
// for `batchdesk serve` (the real UI in a normal browser: end-to-end tests,
// a jump host inside a customer's network).
//
// In: the app API as a list of values, one per area, whose exported methods
// are served (the same values Wails binds, less the window-only ones); the
// built frontend as an fs.FS, and a folder for uploads.
// Out: an http.Handler with
//
//	POST /api/<Method>        body: JSON array of arguments → 200 JSON result
//	GET  /api/events          server-sent events (Hub.Emit)
//	POST /api/upload?name=F   raw body streamed to disk → {"path","size"}
//	GET  /api/download?job=ID[&object=O] a job's error report (one object's), as an attachment
//	GET  /…                   the frontend; ?token=T sets the cookie
//
// Every request needs the per-run token (cookie batchdesk_token or
// "Authorization: Bearer T"); without it: 401 {"code":"unauthorized"}.
// Because other sites (and other ports of 127.0.0.1, which are the same
// "site" to the cookie) can make a browser send requests with the cookie,
// every /api/ request must also come from the page itself: a Host this
// server listens on (AllowHosts), an Origin equal to it when the browser
// sends one (always for a POST carrying the cookie), and no cross-site
// Sec-Fetch-Site; otherwise 403 {"code":"forbidden"}. Method calls need
// Content-Type application/json (else 415), a body of at most MaxBody
// bytes (else 413) holding at most as many arguments as the method takes;
// uploads are capped at MaxUpload (413 {"code":"too_large"}).
// Errors answer 4xx/5xx with {"code","message"} (codes from apperr).
package httpapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"strings"

	"batchdesk/backend/apperr"
)

// CookieName is the cookie that carries the token after the first page load.
const CookieName = "batchdesk_token"

// MaxBody is the largest method-call body: far above any real request (a
// mapping with value maps, a preset file), far below what could hurt.
const MaxBody = 2 << 20

// Server is the HTTP face of the app.
type Server struct {
	token     string
	methods   *methodSet
	assets    http.Handler
	uploadDir string
	// Events fans app events out to every /api/events subscriber.
	Events *Hub
	// Download opens a job's error report by job ID and object ("" = the
	// master's; nil: no downloads).
	Download func(jobID, object string) (name string, r io.ReadCloser, err error)
	// MaxUpload is the largest upload in bytes, read for each upload (the
	// file-size setting; nil: no limit).
	MaxUpload func() (int64, error)
	// hosts are the Host values accepted (lower case); nil accepts any.
	hosts []string
}

// New builds a Server over the exported methods of apis (one value per
// area; a method name in two of them is an error). uploadDir receives
// uploads.
func New(apis []any, assets fs.FS, uploadDir string) (*Server, error) {
	token, err := NewToken()
	if err != nil {
		return nil, err
	}
	methods, err := newMethodSet(apis)
	if err != nil {
		return nil, err
	}
	return &Server{
		token:     token,
		methods:   methods,
		assets:    http.FileServer(http.FS(assets)),
		uploadDir: uploadDir,
		Events:    NewHub(),
	}, nil
}

// NewToken returns 32 random bytes, hex-encoded.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Methods lists the names of the methods served, sorted.
func (s *Server) Methods() []string { return s.methods.Names() }

// AllowHosts sets the Host header values the server answers to, from the
// address it listens on: for a loopback address that address and
// localhost with its port (a name another site could point at 127.0.0.1 —
// DNS rebinding — is refused). A non-loopback address (--allow-remote) is
// reached by names the server cannot know, so any Host is accepted then;
// the Origin check still applies.
func (s *Server) AllowHosts(listenAddr string) {
	host, port, err := net.SplitHostPort(listenAddr)
	if err != nil {
		return
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		s.hosts = nil
		return
	}
	s.hosts = []string{strings.ToLower(net.JoinHostPort(host, port)), "localhost:" + port}
}

// Token is this run's token.
func (s *Server) Token() string { return s.token }

// URL is the address to open: http://ADDR/?token=TOKEN.
func (s *Server) URL(addr string) string {
	return "http://" + addr + "/?token=" + s.token
}

// CheckAddr refuses a listen address that is not loopback unless
// allowRemote: a token in a URL is not enough protection on a shared network.
func CheckAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "bad address %q: use HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if allowRemote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return apperr.New(apperr.Invalid, "refusing to listen on %s: only loopback addresses (127.0.0.1, ::1) unless --allow-remote is given", addr)
	}
	return nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !s.knownHost(r) {
		writeError(w, http.StatusForbidden, apperr.New(apperr.Forbidden, "this server does not answer to the name %q", clip(r.Host)))
		return
	}
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, apperr.New(apperr.Unauthorized, "missing or wrong token: open the URL that `batchdesk serve` printed"))
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		if err := sameOrigin(r); err != nil {
			writeError(w, http.StatusForbidden, err)
			return
		}
	}
	switch {
	case r.URL.Path == "/api/events":
		s.Events.serve(w, r)
	case r.URL.Path == "/api/upload":
		s.upload(w, r)
	case r.URL.Path == "/api/download":
		s.download(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/"):
		s.call(w, r, strings.TrimPrefix(r.URL.Path, "/api/"))
	default:
		if q := r.URL.Query().Get("token"); q != "" && r.URL.Path == "/" {
			// First visit: keep the token in an HttpOnly cookie and drop it
			// from the address bar and history.
			http.SetCookie(w, &http.Cookie{Name: CookieName, Value: s.token, Path: "/",
				HttpOnly: true, SameSite: http.SameSiteStrictMode})
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		s.assets.ServeHTTP(w, r)
	}
}

func (s *Server) authorized(r *http.Request) bool {
	ok := func(got string) bool {
		return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
	}
	// The printed URL's token opens the page whatever cookie the browser
	// sends: it may be an earlier run's (cookies do not tell ports apart).
	if r.URL.Path == "/" && ok(r.URL.Query().Get("token")) {
		return true
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return ok(c.Value)
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return ok(strings.TrimPrefix(h, "Bearer "))
	}
	return false
}

// knownHost reports whether the request's Host is one the server listens
// on (any, when AllowHosts left the list empty).
func (s *Server) knownHost(r *http.Request) bool {
	if s.hosts == nil {
		return true
	}
	h := strings.ToLower(r.Host)
	for _, ok := range s.hosts {
		if h == ok {
			return true
		}
	}
	return false
}

// sameOrigin refuses an API request that another page made the browser
// send: an Origin other than this server's, a cross-site Sec-Fetch-Site,
// or a POST carrying the cookie without an Origin (browsers always send
// one with a POST; a client using the Authorization header is no
// browser page).
func sameOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin != "" && !strings.EqualFold(origin, "http://"+r.Host) {
		return apperr.New(apperr.Forbidden, "requests from %s are refused: use the page this server serves", clip(origin))
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return apperr.New(apperr.Forbidden, "requests from another site are refused: use the page this server serves")
	}
	if origin == "" && r.Method == http.MethodPost && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return apperr.New(apperr.Forbidden, "a request without an Origin is refused: use the page this server serves")
	}
	return nil
}

// clip keeps at most 100 characters of what a request sent, for a message.
func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, apperr.New(apperr.Invalid, "use POST for /api/%s", name))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, apperr.New(apperr.Invalid, "/api/%s takes Content-Type: application/json", name))
		return
	}
	if r.ContentLength > MaxBody {
		writeError(w, http.StatusRequestEntityTooLarge, apperr.New(apperr.TooLarge, "%s: the request is larger than %d bytes", name, MaxBody))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	result, err := s.methods.call(r.Context(), name, r.Body)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(result)
}

// ErrorBody is the JSON shape of every error answer.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(ErrorBody{Code: apperr.CodeOf(err), Message: apperr.MessageOf(err)})
}

func statusOf(err error) int {
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict, apperr.Canceled:
		return http.StatusConflict
	case apperr.AuthFailed, apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}
