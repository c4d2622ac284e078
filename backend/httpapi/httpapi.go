// Package httpapi serves the app's bound methods and its frontend over HTTP,
// for `batchdesk serve` (the real UI in a normal browser: end-to-end tests,
// a jump host inside a customer's network).
//
// In: any value whose exported methods are the app API (the same object Wails
// binds), the built frontend as an fs.FS, and a folder for uploads.
// Out: an http.Handler with
//
//	POST /api/<Method>        body: JSON array of arguments → 200 JSON result
//	GET  /api/events          server-sent events (Hub.Emit)
//	POST /api/upload?name=F   raw body streamed to disk → {"path","size"}
//	GET  /api/download?job=ID a job's error report, as an attachment
//	GET  /…                   the frontend; ?token=T sets the cookie
//
// Every request needs the per-run token (cookie batchdesk_token or
// "Authorization: Bearer T"); without it: 401 {"code":"unauthorized"}.
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
	"net"
	"net/http"
	"strings"

	"batchdesk/backend/apperr"
)

// CookieName is the cookie that carries the token after the first page load.
const CookieName = "batchdesk_token"

// Server is the HTTP face of the app.
type Server struct {
	token     string
	methods   *methodSet
	assets    http.Handler
	uploadDir string
	// Events fans app events out to every /api/events subscriber.
	Events *Hub
	// Download opens a job's error report by job ID (nil: no downloads).
	Download func(jobID string) (name string, r io.ReadCloser, err error)
}

// New builds a Server over api's exported methods. uploadDir receives uploads.
func New(api any, assets fs.FS, uploadDir string) (*Server, error) {
	token, err := NewToken()
	if err != nil {
		return nil, err
	}
	return &Server{
		token:     token,
		methods:   newMethodSet(api),
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
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, apperr.New(apperr.Unauthorized, "missing or wrong token: open the URL that `batchdesk serve` printed"))
		return
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
	var got string
	if c, err := r.Cookie(CookieName); err == nil {
		got = c.Value
	} else if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		got = strings.TrimPrefix(h, "Bearer ")
	} else if r.URL.Path == "/" {
		got = r.URL.Query().Get("token")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, apperr.New(apperr.Invalid, "use POST for /api/%s", name))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<20)
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
	case apperr.AuthFailed:
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
